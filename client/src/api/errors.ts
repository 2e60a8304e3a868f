/** What a call to the app's own server can fail with (no zod here: the app's first script imports these). */
export class ApiCallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) { super(message); }
}
export class ApiUnreachableError extends Error {
  constructor(readonly timedOut: boolean) { super(timedOut ? 'the app server did not answer in time' : 'the app server could not be reached'); }
}
