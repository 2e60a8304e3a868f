/**
 * FHIR R4 Bundle (what the client read from the EHR) → VisitFacts, with the source of every fact.
 *
 * The Bundle envelope is validated strictly (→ BadBundleError → HTTP 400). The resources inside are read
 * leniently: anything this module does not understand (unknown codes, missing fields, wrong types) never
 * throws; the fact falls back to a conservative default with factSources status 'default' and a note
 * saying what the clinician should settle.
 *
 * How the record is read (see server/sandbox/fixtures/README.md for the fixtures that exercise it), one module each:
 * - envelope.ts: the Bundle envelope → ResourceIndex (record.ts: lenient readers, codings, references);
 * - patient.ts, visit.ts, place.ts: Patient state, the Encounter and service date, today's Procedures, place/state of service;
 * - coverage.ts: the active Coverage (lowest `order`), payor → Organization name + identifier, Coverage.type SOPT codes
 *   → line of business, Coverage.class (type plan) → plan name;
 * - device.ts: Device.type (HCPCS device codes, SNOMED CT where confirmed, text), modelNumber / deviceName,
 *   Device.property "reservoir volume" (mL); route from MedicationAdministration.dosage.route;
 * - services.ts: today's Procedure CPT codes, the dose change / analysis reason from Procedure.note;
 * - drugs.ts: today's MedicationAdministration (dose in mg/mcg/mL, rateQuantity mL/d, note → purchaser);
 * - performer.ts: Procedure.performer → Practitioner.qualification (HL7 v2-0360, NUCC taxonomy), physician skill
 *   and supervision from Procedure.note;
 * - diagnoses.ts: ICD-10-CM codes of the active Conditions; history.ts: earlier pump Procedures, last refill;
 * - sources.ts records where each fact came from; overrides.ts merges the clinician's corrections.
 */
import { VisitFacts, type FactSources, type RecordNotice, type RecordReferences } from '../../contracts/index.js';
import { readCoverage } from './coverage.js';
import { readDevice } from './device.js';
import { readDiagnoses } from './diagnoses.js';
import { readDailyVolume, readDrugs, todaysMedicationAdministrations } from './drugs.js';
import { readEnvelope } from './envelope.js';
import { BadBundleError } from './errors.js';
import { readHistory } from './history.js';
import { readPatient } from './patient.js';
import { readPerformer } from './performer.js';
import { readPlace } from './place.js';
import { readProposedCodes, readServices } from './services.js';
import { Sources } from './sources.js';
import { readVisit, type VisitOptions } from './visit.js';

export { BadBundleError, InvalidOverridesError, type BadInputDetail } from './errors.js';
export { SYSTEMS, MAX_ID_LENGTH } from './record.js';
export { coverageMatchInputFromRecord, readCoverageResource, selectCoverage } from './coverage.js';
export { applyOverrides } from './overrides.js';

export interface ExtractedVisit { facts: VisitFacts; factSources: FactSources; references: RecordReferences; recordNotices?: RecordNotice[] }

export type ExtractOptions = VisitOptions;

/** Reads the posted Bundle into VisitFacts. Throws BadBundleError only for a malformed envelope. */
export function extractVisit(input: unknown, opts: ExtractOptions = {}): ExtractedVisit {
  const src = new Sources();
  const index = readEnvelope(input, src);
  const references: RecordReferences = {};

  // The order of the readers is the order of factSources and references in the response: keep it.
  const { patient, patientFacts } = readPatient(index, src, references);
  const visit = readVisit(index, src, references, patientFacts.state, opts);
  const { placeOfService, serviceState } = readPlace(visit, patient, patientFacts);
  const coverage = readCoverage(visit);
  const medAdmins = todaysMedicationAdministrations(visit);
  const drugs = readDrugs(visit, medAdmins);
  const device = readDevice(visit, medAdmins);
  const services = readServices(visit);
  const performer = readPerformer(visit);
  const diagnoses = readDiagnoses(visit);
  const { priorServices, lastRefillDate } = readHistory(visit);
  const dailyVolumeMl = readDailyVolume(src, medAdmins);
  const proposedCodes = readProposedCodes(visit);
  src.set('separateEvaluation', 'default', undefined, 'A significant, separately identifiable E/M is not assumed; set it if one was performed and documented.');

  const facts: VisitFacts = {
    serviceDate: visit.serviceDate,
    ...(placeOfService ? { placeOfService } : {}),
    patient: patientFacts,
    ...(serviceState ? { serviceState } : {}),
    coverage,
    device,
    services,
    performer,
    drugs,
    diagnoses,
    separateEvaluation: { performed: false },
    ...(lastRefillDate ? { lastRefillDate } : {}),
    ...(dailyVolumeMl ? { dailyVolumeMl } : {}),
    ...(priorServices.length ? { priorServices } : {}),
    ...(proposedCodes.length ? { proposedCodes } : {}),
  };
  // Belt and braces: whatever the record held, the facts must satisfy the contract.
  const checked = VisitFacts.safeParse(facts);
  if (!checked.success) {
    throw new BadBundleError('The record yields facts outside the contract', checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return { facts: checked.data, factSources: src.map, references, ...(src.notices.length ? { recordNotices: src.notices } : {}) };
}
