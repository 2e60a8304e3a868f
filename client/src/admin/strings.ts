/**
 * Every user-facing message of the admin screens in one place (as fhirclient does with its strings.ts),
 * so wording stays consistent and tests can assert on the same text the admin sees.
 */
export const strings = {
  signInTitle: 'Administrator sign-in',
  signInIntro: 'Sign in through your EHR to manage payer mappings, review the audit log and the billing worklist.',
  noAdminProfiles: 'No EHR is configured for administrator sign-in (set adminSignIn on an EHR profile). You can still use an admin token.',
  profilesFailed: 'Could not load the EHR profiles from the server.',
  signInFailed: (detail: string) => `Sign-in through the EHR did not complete: ${detail}`,
  noIdToken: 'The EHR did not return an id_token. Make sure the app may request the "openid fhirUser" scopes.',
  sessionExpired: 'Your session has expired or was not accepted. Please sign in again.',
  notAdministrator: (fhirUser: string | undefined) =>
    fhirUser
      ? `You are signed in as ${fhirUser} but are not an administrator (ADMIN_USERS)`
      : 'You are signed in but are not an administrator (ADMIN_USERS)',
  network: 'The server could not be reached. Check your connection and retry.',
  unexpected: (status: number) => `The server answered ${status}. Nothing was changed; please retry.`,
  notFound: 'That mapping no longer exists; it may have been deleted by someone else.',
  preconditionRequired: 'The server needs the version you edited (If-Match). Reload the mapping and try again.',
  stale: 'Someone else changed this mapping while you were editing it.',
  invalid: 'Some fields need attention.',
  saved: 'Mapping saved.',
  created: 'Mapping created.',
  deleted: 'Mapping deleted.',
  importDone: (n: number) => `Imported ${n} mapping${n === 1 ? '' : 's'}.`,
  fileNotJson: 'The file is not valid JSON.',
  fileWrongShape: 'Expected a JSON object { "mappings": [ … ] } (as exported) or an array of mappings.',
} as const;
