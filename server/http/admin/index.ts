export { createAdminRouter, type AdminRouterDeps } from './router';
export { apiErrorHandler, etag, parseIfMatch, sendInvalid, zodIssues, type FieldIssue } from './common';
