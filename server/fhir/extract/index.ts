/**
 * FHIR R4 Bundle (what the client read from the EHR) → VisitFacts, with the source of every fact.
 *
 * The Bundle envelope is validated strictly (→ BadBundleError → HTTP 400). The resources inside are read
 * leniently: anything this module does not understand (unknown codes, missing fields, wrong types) never
 * throws; the fact falls back to a conservative default with factSources status 'default' and a note
 * saying what the clinician should settle.
 *
 * How the record is read (DESIGN.md "Reading real EHR records"; server/sandbox/fixtures and test/corpus exercise it),
 * one module each:
 * - envelope.ts: the Bundle envelope → ResourceIndex; bad entries, OperationOutcomes and over-deep nested Bundles are
 *   skipped with record notices, nested Bundles flattened;
 * - record.ts: lenient readers, codings, and the one reference resolver (relative/absolute URL, #contained, urn:uuid,
 *   identifier, conditional Type?identifier=, display); concept.ts: the one "code or text" reader;
 * - dates.ts: local dates (offset kept, UTC converted with the service state's IANA zone, bare dates as is);
 * - patient.ts, visit.ts, place.ts: Patient state; the visit (launch encounter vs latest pump procedure, with the
 *   stale-launch-encounter notice; resources by encounter reference first, local date second; the visit's note
 *   sentences); place of service (CMS POS, v3 RoleCode, Encounter.class, names, else 11 as a default) and state;
 * - notes.ts: the note reader (Procedure.note, DocumentReference/Binary text, HTML, RTF) — dose change and by how
 *   much, physician-skill reason, supervision, purchaser, interrogation reason, service words — conservative about
 *   negations, hedges, questions and blank template prompts;
 * - coverage.ts: the one Coverage reader (evaluation and the admin preview);
 * - device.ts: the pump among several devices (HCPCS, SNOMED CT, GMDN/Epic words; never a shunt valve), reservoir
 *   volume (property or "40ML" in a name); route from the visit's MedicationAdministrations;
 * - procedures.ts, services.ts, history.ts: pump services from CPT codes, else SNOMED CT / local / text words,
 *   corrected by the note; earlier pump services however coded;
 * - drugs.ts: the visit's MedicationAdministrations (diluent-only ones set aside), Medication by any reference, active
 *   ingredients, strength (server/terminology/strength.ts), compounded = two or more active drugs;
 * - service-state.ts: where the service was furnished, the one reading behind the visit's clock and serviceState;
 * - performer.ts: the performer-role chain (qualification any system, PractitionerRole, NUCC taxonomy identifiers,
 *   is-physician, name prefixes/suffixes, the note);
 * - diagnoses.ts: the visit's ICD-10-CM codes; SNOMED/IMO-only visit diagnoses → diagnosis-needs-icd10 notices;
 * - sources.ts records where each fact came from and the record notices; overrides.ts merges the clinician's corrections.
 */
import { VisitFacts, type FactSources, type RecordNotice, type RecordReferences } from '../../contracts/index.js';
import { readCoverage } from './coverage.js';
import { readDevice } from './device.js';
import { readDiagnoses } from './diagnoses.js';
import { readDailyVolume, readDrugs, todaysMedicationAdministrations, withoutDiluents } from './drugs.js';
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
  const { placeOfService, serviceState } = readPlace(visit, patient);
  const coverage = readCoverage(visit);
  // a diluent-only administration (a saline flush) is neither a drug nor evidence of the pump's route
  const { given: medAdmins, diluents } = withoutDiluents(visit, todaysMedicationAdministrations(visit));
  const drugs = readDrugs(visit, medAdmins, diluents);
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
