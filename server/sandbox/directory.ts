/** Look-ups the authorization server and the home page make in the repository (no scopes: sandbox internals). */
import { patientFilter } from './patientParam.js';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Claim, Coverage, Device, DocumentReference, Encounter, Organization, Patient, Practitioner } from '@medplum/fhirtypes';
import { SANDBOX_USERS } from './users.js';

/** Marks the Encounter a sandbox fixture's EHR launches from (fixtures README: "stale encounter in the launch context"). */
export const LAUNCH_ENCOUNTER_TAG = { system: 'urn:pump-refill-coder:sandbox', code: 'launch-encounter' } as const;

export function patientName(p: Patient): string {
  const n = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  return [n?.given?.join(' '), n?.family].filter(Boolean).join(' ') || n?.text || (p.id ?? '');
}

export class Directory {
  constructor(private readonly repo: MemoryRepository) {}

  async patients(): Promise<Patient[]> {
    const list = await this.repo.searchResources<Patient>({ resourceType: 'Patient' });
    return list.sort((a, b) => patientName(a).localeCompare(patientName(b)));
  }

  async patient(id: string): Promise<Patient | undefined> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return undefined;
    return this.repo.readResource<Patient>('Patient', id).catch(() => undefined);
  }

  users(): Practitioner[] {
    return SANDBOX_USERS;
  }

  /**
   * The visit an EHR launch happens in: the Encounter a fixture marks as the one the user opened the chart from
   * (meta.tag LAUNCH_ENCOUNTER_TAG, e.g. an old encounter, as real EHRs sometimes hand over), else the patient's most
   * recent Encounter (by period.start).
   */
  async latestEncounterId(patientId: string): Promise<string | undefined> {
    const list = await this.repo.searchResources<Encounter>({
      resourceType: 'Encounter',
      filters: [patientFilter('Encounter', patientId)],
    });
    const tagged = list.find((e) => e.meta?.tag?.some((t) => t.system === LAUNCH_ENCOUNTER_TAG.system && t.code === LAUNCH_ENCOUNTER_TAG.code));
    if (tagged) return tagged.id;
    list.sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''));
    return list[0]?.id;
  }

  async byPatient<T extends Coverage | Device | Claim | DocumentReference>(resourceType: T['resourceType'], patientId: string): Promise<T[]> {
    return this.repo.searchResources<T>({
      resourceType,
      filters: [patientFilter(resourceType, patientId)],
    });
  }

  async organization(ref: string | undefined): Promise<Organization | undefined> {
    const m = /^Organization\/(.+)$/.exec(ref ?? '');
    return m ? this.repo.readResource<Organization>('Organization', m[1]!).catch(() => undefined) : undefined;
  }
}
