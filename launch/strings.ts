/** Every message the launch page can show, in one place (as fhirclient keeps its strings.ts). */
export const launchStrings = {
  connecting: 'Connecting to your EHR…',
  redirecting: (ehr: string) => `Signing in with ${ehr}…`,
  unknownIssuer: (iss: string) =>
    `This EHR (${iss}) is not configured for Pump Refill Coder. Ask your administrator to add it.`,
  unknownIssuerTitle: 'This EHR is not configured',
  missingIss: 'The launch link has no "iss" (the EHR\'s FHIR address), so the app cannot tell which EHR opened it.',
  missingIssNext: 'Open Pump Refill Coder from the patient\'s chart in your EHR.',
  missingLaunch: 'The launch link has no "launch" context from the EHR.',
  missingLaunchNext: 'Open Pump Refill Coder from the patient\'s chart in your EHR (not from a bookmark).',
  duplicateParam: (name: string) => `The launch link carries "${name}" more than once, which the app refuses.`,
  overrideRefused: (names: string[]) =>
    `The launch link tries to set ${names.map((n) => `"${n}"`).join(', ')}, which only the EHR configuration may set. The app refuses such links.`,
  overrideNext: 'Open Pump Refill Coder from the patient\'s chart in your EHR. If this link came from somewhere else, do not use it.',
  profilesFailed: 'The app could not load its list of configured EHRs from its server.',
  profilesFailedNext: 'Check your network connection, then relaunch from the patient\'s chart. If it persists, tell your administrator.',
  discoveryFailed: (detail: string) => `The EHR's sign-in settings could not be read: ${detail}`,
  discoveryFailedNext: 'Relaunch from the patient\'s chart. If it persists, tell your administrator (the EHR\'s SMART configuration may be wrong).',
  authorizeFailed: (detail: string) => `Sign-in with the EHR could not start: ${detail}`,
  authorizeFailedNext: 'Relaunch from the patient\'s chart. If it persists, tell your administrator.',
  noCrypto: 'This browser cannot generate secure random numbers (Web Crypto), which sign-in needs.',
  noCryptoNext: 'Use a current browser, or ask your administrator.',
  errorTitle: 'Pump Refill Coder could not start',
  unknownIssuerNext: 'Nothing was sent to that address.',
} as const;
