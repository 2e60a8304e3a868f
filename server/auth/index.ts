export { verifyIdToken, isValidFhirUser, AuthError, ACCEPTED_ALGORITHMS, type VerifiedIdToken, type VerifyOptions } from './idToken';
export {
  requireUser, requireAdmin, requireRole, sameOriginJsonOnly, parseUserList, tokenEquals, userListed,
  type AuthDeps, type AuthUser, type Role,
} from './middleware';
