/**
 * One vendor mode = one small module with the rules where that EHR differs from a plain SMART R4 server.
 * The shared request pipeline (../fhir-pipeline.ts) asks the mode; the mode never sees HTTP.
 */
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '@medplum/fhir-router';
import type { ResourceScope } from '../scopes.js';

export type ModeId = 'generic' | 'epic' | 'oracle';

export interface WriteCheck {
  interaction: 'create' | 'update';
  resource: Resource;
  /** the signed-in user of the token, e.g. "Practitioner/sandbox-clinician" */
  userRef?: string;
  /** the patient in context of the token, if any */
  patientId?: string;
  repo: FhirRepository;
}

export type WriteDecision =
  | { ok: true; resource: Resource }
  | { ok: false; status: number; outcome: OperationOutcome };

export interface VendorMode {
  id: ModeId;
  /** shown on the sandbox home page */
  label: string;
  /** lifetime of access tokens issued for this mode (seconds) */
  accessTokenSeconds: number;
  /** need_patient_banner for EHR launches from the home page (embedded EHRs show their own banner) */
  needPatientBanner: boolean;
  /** whether `If-None-Exist` is honoured (otherwise the header is ignored, as the vendor does) */
  conditionalCreate: boolean;
  /** whether batch/transaction Bundles are accepted at the base URL */
  transactions: boolean;
  /** resource types that accept create/update in this mode; undefined = every type */
  writableTypes?: ReadonlySet<string>;
  /** why a write to a type outside writableTypes is refused (HTTP status and message) */
  refuseWrite(resourceType: string): { status: number; message: string };
  /** the scope as this vendor grants it (undefined = not granted) */
  adjustScope(scope: ResourceScope): string | undefined;
  /** vendor rules on a resource being written; may trim what the vendor would not store */
  checkWrite(check: WriteCheck): Promise<WriteDecision>;
  /**
   * OperationOutcome entries this vendor adds to a searchset (search.mode "outcome"), e.g. Epic's warnings when a
   * search has no results or a sub-type of the resource is not authorized. Undefined = none.
   */
  searchOutcomes?(search: SearchSummary): OperationOutcome[];
}

export interface SearchSummary {
  resourceType: string;
  /** the search parameters as the server ran them */
  query: URLSearchParams;
  /** how many resources matched */
  matches: number;
}

export function refusal(status: number, message: string, code: 'invalid' | 'forbidden' | 'not-supported' | 'required' = 'invalid'): WriteDecision {
  return {
    ok: false,
    status,
    outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text: message } }] },
  };
}

/** The bare media type of an attachment's contentType ("text/plain; charset=utf-8" → "text/plain"). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
