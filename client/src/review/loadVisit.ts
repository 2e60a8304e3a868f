/**
 * Loads everything the review screen needs once the launch is complete: the record (in parallel, each read
 * isolated, in a worker: fhir/readOffThread.ts), the EHR profile's vendor and the CapabilityStatement (for the
 * write-back plan, before any click).
 */
import { isEhrVendor } from '../../../server/contracts/plain';
import type { EhrVendor } from '../../../server/contracts/writeback';
import { embeddedProfiles } from '../../../launch/embeddedProfiles';
import { buildCollectionBundle } from '../fhir/bundle';
import { createFhirPort, type FhirPort } from '../fhir/port';
import type { ReadNotice } from '../fhir/reads';
import { readOffThread } from '../fhir/readOffThread';
import type { Bundle, Resource } from '../fhir/types';
import type { EvaluateResponse } from '../../../server/contracts/index';
import type { Overrides } from './overrides';
import { mark } from '../metrics';
import { parseScopes, type GrantedScopes } from '../smart/scopes';
import type { Launch } from '../smart/session';
import { parseCapability, UNKNOWN_CAPABILITY, type Capability } from '../writeback/capability';

export interface LoadedVisit {
  port: FhirPort;
  bundle: Bundle;
  patient?: Resource;
  notices: ReadNotice[];
  sessionExpired: boolean;
  scopes: GrantedScopes;
  vendor: EhrVendor;
  capability: Capability;
  /** the first evaluation when it was sent as the record came in (smart/beginLaunch.ts), before the review was drawn */
  firstEvaluation?: FirstEvaluation;
}

/** an evaluation already under way, and the corrections it was sent with */
export interface FirstEvaluation { overrides: Overrides; result: Promise<EvaluateResponse> }

async function vendorFor(serverUrl: string): Promise<EhrVendor> {
  try {
    const json = (embeddedProfiles() ?? await (await fetch('/api/ehr-profiles', { headers: { accept: 'application/json' } })).json()) as
      { profiles?: { vendor?: string; issuers?: string[] }[] };
    const p = json.profiles?.find((x) => x.issuers?.includes(serverUrl));
    return isEhrVendor(p?.vendor) ? p.vendor : 'generic';
  } catch {
    return 'generic';
  }
}

/** the page's port, its request count including the worker's reads */
function countingAlso(port: FhirPort, workerRequests: number): FhirPort {
  return {
    base: port.base,
    get requestCount() { return port.requestCount + workerRequests; },
    request: (path, init) => port.request(path, init),
  };
}

export interface LoadOptions {
  onProgress?: (port: FhirPort) => void;
  /** every resource as soon as its read answers: the screen shows patient, pump and coverage before the rest */
  onResource?: (r: Resource) => void;
}

export async function loadVisit(launch: Launch, opts: LoadOptions = {}): Promise<LoadedVisit> {
  const { onProgress, onResource } = opts;
  const { tokens, token } = launch;
  // the launch's one renewal (fhirclient's single-flight refresh), shared by the page's port (Write), and the worker
  const renew = tokens.canRenew() ? async () => ((await tokens.renew()) ? tokens.current().accessToken : undefined) : undefined;
  const port = createFhirPort({ base: launch.serverUrl, getToken: () => tokens.current().accessToken ?? '', refresh: renew });
  const scopes = parseScopes(token.scope);
  const [{ record, metadata, workerRequests }, vendor] = await Promise.all([
    readOffThread({
      port,
      accessToken: tokens.current().accessToken ?? '',
      renew,
      ctx: { patientId: token.patient, encounterId: token.encounter, scopes, today: new Date() },
      onResources: onResource ? (rs) => rs.forEach(onResource) : undefined,
    }),
    vendorFor(launch.serverUrl),
  ]);
  mark('record');
  const counted = countingAlso(port, workerRequests);
  onProgress?.(counted);
  const patient = record.resources.find((r) => r.resourceType === 'Patient' && r.id === token.patient);
  return {
    port: counted,
    bundle: buildCollectionBundle(launch.serverUrl, record.resources),
    patient,
    notices: record.notices,
    sessionExpired: record.sessionExpired,
    scopes,
    vendor,
    capability: metadata === undefined ? UNKNOWN_CAPABILITY : parseCapability(metadata),
  };
}
