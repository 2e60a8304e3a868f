/** The errors the HTTP layer turns into 400s: a malformed Bundle envelope, or corrections that break the contract. */

export interface BadInputDetail { path: string; message: string }

/** The posted Bundle envelope is not a FHIR R4 Bundle (the HTTP layer answers 400 with the details). */
export class BadBundleError extends Error {
  readonly details: BadInputDetail[];
  constructor(message: string, details: BadInputDetail[]) {
    super(message);
    this.name = 'BadBundleError';
    this.details = details;
  }
}

/** Overrides that make the facts invalid. A BadBundleError so the HTTP layer's 400 handling covers it. */
export class InvalidOverridesError extends BadBundleError {
  constructor(details: BadInputDetail[]) {
    super(`The corrected facts are not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    this.name = 'InvalidOverridesError';
  }
}
