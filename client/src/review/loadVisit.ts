/**
 * Loads everything the review screen needs once the launch is complete: the record (in parallel, each read
 * isolated), the EHR profile's vendor and the CapabilityStatement (for the write-back plan, before any click).
 */
import { isEhrVendor } from '../../../server/contracts/plain';
import type { EhrVendor } from '../../../server/contracts/writeback';
import { embeddedProfiles } from '../../../launch/embeddedProfiles';
import { buildCollectionBundle } from '../fhir/bundle';
import { createFhirPort, type FhirPort } from '../fhir/port';
import { readRecord, type ReadNotice } from '../fhir/reads';
import type { Bundle, Resource } from '../fhir/types';
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
}

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

/** Calls `onResource` with every resource a read answers (search bundles unpacked), as soon as it answers. */
function observed(port: FhirPort, onResource: (r: Resource) => void): FhirPort {
  return {
    base: port.base,
    get requestCount() { return port.requestCount; },
    async request<T>(path: string, init?: Parameters<FhirPort['request']>[1]) {
      const res = await port.request<T>(path, init);
      const body = res.body as Resource | Bundle | undefined;
      try {
        if (body?.resourceType === 'Bundle') for (const e of (body as Bundle).entry ?? []) { if (e.resource) onResource(e.resource); }
        else if (body?.resourceType) onResource(body as Resource);
      } catch { /* a display callback never breaks a read */ }
      return res;
    },
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
  const port = createFhirPort({
    base: launch.serverUrl,
    getToken: () => tokens.current().accessToken ?? '',
    // the launch's one renewal (fhirclient's single-flight refresh), shared with Write
    refresh: tokens.canRenew() ? async () => ((await tokens.renew()) ? tokens.current().accessToken : undefined) : undefined,
  });
  const scopes = parseScopes(token.scope);
  const [record, capability, vendor] = await Promise.all([
    readRecord(onResource ? observed(port, onResource) : port, { patientId: token.patient, encounterId: token.encounter, scopes, today: new Date() }),
    port.request('metadata').then((r) => parseCapability(r.body), () => UNKNOWN_CAPABILITY),
    vendorFor(launch.serverUrl),
  ]);
  mark('record');
  onProgress?.(port);
  const patient = record.resources.find((r) => r.resourceType === 'Patient' && r.id === token.patient);
  return {
    port,
    bundle: buildCollectionBundle(launch.serverUrl, record.resources),
    patient,
    notices: record.notices,
    sessionExpired: record.sessionExpired,
    scopes,
    vendor,
    capability,
  };
}
