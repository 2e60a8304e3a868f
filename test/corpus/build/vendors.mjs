/**
 * One record assembler per vendor shape: takes a visit described in plain terms and lays it out the way that vendor's
 * API hands it over (ids, references, where the note and the performer's credentials live, how searches come back).
 */
import { createHash } from 'node:crypto';
import {
  SYS, cc, coding, epicCondition, epicCoverage, epicDevice, epicEncounter, epicId, epicLocation, epicMedAdmin,
  epicMedication, epicNote, epicPatient, epicPayerOrg, epicPractitioner, epicProcedure, epicSearchset, oracleCondition,
  oracleCoverage, oracleDevice, oracleEncounter, oracleMedAdmin, oracleNote, oracleOrg, oraclePatient, oraclePractitioner,
  oracleProcedure, payerOrg, qty, synUrl, uscoreCoverage, uscorePatient, uscorePractitioner, uuid,
} from './shapes.mjs';

export const EPIC_BASE = 'https://fhir.epic-customer.example/interconnect-fhir-oauth/api/FHIR/R4';
export const ORACLE_BASE = 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
export const USCORE_BASE = 'https://ehr.us-core.example/fhir';

const collection = (entry, timestamp) => ({ resourceType: 'Bundle', type: 'collection', timestamp, entry });
const flat = (base, resources) => resources.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r }));

// ------------------------------------------------------------------------------------------------------------ Epic

/**
 * Epic: ids of Epic's lengths (24 for Patient/Encounter, 46–110 for the rest), no CMS POS code, note as a
 * DocumentReference, medication by reference, UTC instants. `nested` lays the record out as the searchsets the app
 * received (one Bundle per search, with Epic's OperationOutcome warnings as search.mode "outcome" entries).
 */
export function epicRecord(s) {
  const k = s.key;
  const pid = epicId(`${k}-patient`, 24);
  const encId = epicId(`${k}-enc`, 24);
  const todayEncId = s.staleLaunch ? epicId(`${k}-enc-today`, 24) : encId;
  const locId = epicId(`${k}-loc`, 46);
  const patientName = `${s.patient.family}, ${s.patient.given}`;
  const pr = Object.fromEntries(s.practitioners.map((p) => [p.key, { ...p, id: epicId(`${k}-pr-${p.key}`, p.longId ? 46 : 24) }]));
  const performer = pr[s.performer];
  const resources = { Patient: [], Practitioner: [], Organization: [], Coverage: [], Location: [], Encounter: [], Procedure: [], DocumentReference: [], Binary: [], Medication: [], MedicationAdministration: [], Condition: [], Device: [] };
  resources.Patient.push(epicPatient({ id: pid, ...s.patient, mrn: `E${1000 + k.length * 17}` }));
  for (const p of Object.values(pr)) resources.Practitioner.push(epicPractitioner({ id: p.id, text: p.text, family: p.family, given: p.given, prefix: p.prefix, npi: p.npi, taxonomy: p.taxonomy, qualification: p.qualification }));
  s.coverages.forEach((c, i) => {
    const orgId = epicId(`${k}-payer-${i}`, 24);
    resources.Organization.push(epicPayerOrg({ id: orgId, name: c.payerName, npi: c.npi, payerId: c.payerId }));
    resources.Coverage.push(epicCoverage({ id: epicId(`${k}-cov-${i}`, 66 + i * 4), patientId: pid, patientName, payerOrgId: orgId, ...c }));
  });
  resources.Location.push(epicLocation({ id: locId, name: s.clinic.name, city: s.clinic.city, state: s.clinic.state }));
  const condIds = (s.conditions ?? []).map((c, i) => epicId(`${k}-cond-${i}`, 70 + i));
  const visitDx = (s.conditions ?? []).map((c, i) => (c.visit ? condIds[i] : undefined)).filter(Boolean);
  const enc = epicEncounter({ id: encId, patientId: pid, patientName, practitionerId: performer.id, practitionerName: performer.text,
    start: s.encounter.start, end: s.encounter.end, locationId: locId, locationName: s.clinic.name, typeText: s.encounter.typeText,
    diagnosisIds: s.staleLaunch ? [] : visitDx });
  if (s.launchTag) enc.meta = { tag: [s.launchTag] };
  resources.Encounter.push(enc);
  if (s.staleLaunch && s.visitEncounter) {
    resources.Encounter.push(epicEncounter({ id: todayEncId, patientId: pid, patientName, practitionerId: performer.id, practitionerName: performer.text,
      start: s.visitEncounter.start, end: s.visitEncounter.end, locationId: locId, locationName: s.clinic.name, typeText: s.visitEncounter.typeText, diagnosisIds: visitDx }));
  }
  if (s.otherEncounter) {
    const o = s.otherEncounter;
    const oLoc = epicId(`${k}-loc-other`, 46);
    resources.Location.push(epicLocation({ id: oLoc, name: o.locationName, city: s.clinic.city, state: s.clinic.state }));
    resources.Encounter.push(epicEncounter({ id: epicId(`${k}-enc-other`, 24), patientId: pid, patientName, practitionerId: performer.id,
      practitionerName: performer.text, start: o.start, end: o.end, locationId: oLoc, locationName: o.locationName, typeText: o.typeText }));
  }
  const encOf = (which) => (which === 'other' ? epicId(`${k}-enc-other`, 24) : which === 'none' ? undefined : todayEncId);
  (s.procedures ?? []).forEach((p, i) => resources.Procedure.push(epicProcedure({ id: epicId(`${k}-proc-${i}`, 110 - i * 8), patientId: pid,
    encounterId: encOf(p.encounter), cpt: p.cpt, display: p.display, text: p.text, performed: p.performed,
    performerId: (pr[p.performer] ?? performer).id, performerName: (pr[p.performer] ?? performer).text })));
  (s.priorProcedures ?? []).forEach((p, i) => resources.Procedure.push(epicProcedure({ id: epicId(`${k}-prior-${i}`, 46), patientId: pid,
    encounterId: epicId(`${k}-enc-prior-${i}`, 24), cpt: p.cpt, display: p.display, text: p.text, performed: p.performed,
    performerId: performer.id, performerName: performer.text })));
  if (s.note) {
    const author = pr[s.note.author] ?? performer;
    for (const r of epicNote({ id: epicId(`${k}-note`, 46), patientId: pid, encounterId: todayEncId, authorId: author.id, authorName: author.text,
      providerType: s.note.providerType, date: s.note.date, text: s.note.text, as: s.note.as, binaryId: epicId(`${k}-bin`, 48) })) {
      resources[r.resourceType].push(r);
    }
  }
  (s.meds ?? []).forEach((m, i) => {
    const medId = epicId(`${k}-med-${i}`, 24);
    resources.Medication.push(epicMedication({ id: medId, text: m.text, strength: m.strength, rxnorm: m.rxnorm }));
    resources.MedicationAdministration.push(epicMedAdmin({ id: epicId(`${k}-ma-${i}`, 90), patientId: pid, encounterId: encOf(m.encounter),
      medicationId: medId, medicationDisplay: m.display, effective: m.effective, route: m.route, dose: m.dose, rate: m.rate,
      performerId: (pr[m.performer] ?? performer).id, note: m.note }));
  });
  (s.conditions ?? []).forEach((c, i) => resources.Condition.push(epicCondition({ id: condIds[i], patientId: pid,
    encounterId: c.visit ? todayEncId : c.encounter === 'launch' ? encId : undefined, ...c })));
  (s.devices ?? []).forEach((d, i) => resources.Device.push(epicDevice({ id: epicId(`${k}-dev-${i}`, 46), patientId: pid, ...d })));

  const all = Object.values(resources).flat();
  if (!s.nested) return collection(flat(EPIC_BASE, all), s.timestamp);
  // As received: Patient and Encounter read by id; the rest as searchsets, some with Epic's OperationOutcome warnings.
  const outcomes = {
    Condition: { code: '59204', issueCode: 'suppressed', text: "The authenticated client's search request applies to a sub-resource that the client is not authorized for. Results of this sub-type will not be returned.", diagnostics: 'Client not authorized for Condition - Health Concerns' },
    Device: { code: '4101', issueCode: 'informational', text: 'Resource request returns no results.' },
    Procedure: { code: '4122', issueCode: 'informational', text: 'An unknown query parameter was supplied by the client.' },
  };
  const entry = [];
  for (const [type, list] of Object.entries(resources)) {
    if (type === 'Patient' || type === 'Encounter' || type === 'Binary') {
      entry.push(...flat(EPIC_BASE, list));
    } else if (list.length || outcomes[type]) {
      entry.push({ fullUrl: `urn:uuid:${uuid(`${k}-${type}-searchset`)}`, resource: epicSearchset(EPIC_BASE, type, list, outcomes[type]) });
    }
  }
  return collection(entry, s.timestamp);
}

// ---------------------------------------------------------------------------------------------------- Oracle Health

/** Oracle Health: numeric ids, contained Medication and Location, Coverage without order, is-physician, date-only performedDateTime, codeSet codings. */
export function oracleRecord(s) {
  const k = s.key;
  const h = Number.parseInt(createHash('sha256').update(k).digest('hex').slice(0, 8), 16);
  const n = (i) => String(10000000 + ((h + i * 104729) % 89999999));
  const pid = n(1);
  const encId = n(2);
  const todayEncId = s.staleLaunch ? n(3) : encId;
  const patientName = `${s.patient.family.toUpperCase()}, ${s.patient.given.toUpperCase()}`;
  const pr = Object.fromEntries(s.practitioners.map((p, i) => [p.key, { ...p, id: String(1000000 + ((h + 7 + i * 31337) % 8999999)) }]));
  const performer = pr[s.performer];
  const out = [oraclePatient({ id: pid, ...s.patient })];
  for (const p of Object.values(pr)) out.push(oraclePractitioner({ id: p.id, text: p.text, family: p.family, given: p.given, isPhysician: p.isPhysician, npi: p.npi, qualification: p.qualification }));
  s.coverages.forEach((c, i) => {
    const orgId = c.noOrg ? undefined : String(500000 + ((h + i * 7919) % 499999));
    if (orgId) out.push(oracleOrg({ id: orgId, name: c.payerName }));
    out.push(oracleCoverage({ id: c.id ?? `${pid}-${n(10 + i)}-${n(20 + i)}`, patientId: pid, patientName, payerOrgId: orgId, ...c,
      encounterId: c.encounterScoped ? todayEncId : undefined }));
  });
  const condIds = (s.conditions ?? []).map((_, i) => n(40 + i));
  const visitDx = (s.conditions ?? []).map((c, i) => (c.visit ? condIds[i] : undefined)).filter(Boolean);
  const launchEnc = oracleEncounter({ id: encId, patientId: pid, patientName, start: s.encounter.start, end: s.encounter.end, location: s.clinic,
    practitionerId: performer.id, practitionerName: performer.text, diagnosisIds: s.staleLaunch ? [] : visitDx });
  if (s.launchTag) launchEnc.meta = { ...launchEnc.meta, tag: [s.launchTag] };
  out.push(launchEnc);
  if (s.staleLaunch && s.visitEncounter) {
    out.push(oracleEncounter({ id: todayEncId, patientId: pid, patientName, start: s.visitEncounter.start, end: s.visitEncounter.end, location: s.clinic,
      practitionerId: performer.id, practitionerName: performer.text, diagnosisIds: visitDx }));
  }
  if (s.otherEncounter) {
    const o = s.otherEncounter;
    out.push({ ...oracleEncounter({ id: n(4), patientId: pid, patientName, start: o.start, end: o.end, location: { name: o.locationName, city: s.clinic.city, state: s.clinic.state },
      practitionerId: performer.id, practitionerName: performer.text }), class: { system: SYS.actCode, code: o.classCode ?? 'EMER', display: o.classDisplay ?? 'emergency' },
      type: [cc([{ ...coding(SYS.oracleCodeSet(71), '309310', o.typeText), userSelected: true }], o.typeText)] });
  }
  const encOf = (which) => (which === 'other' ? n(4) : which === 'none' ? undefined : todayEncId);
  (s.procedures ?? []).forEach((p, i) => out.push(oracleProcedure({ id: n(60 + i), patientId: pid, patientName, encounterId: encOf(p.encounter),
    cpt: p.cpt, display: p.display, text: p.text, performed: p.performed, performerId: (pr[p.performer] ?? performer).id,
    performerName: (pr[p.performer] ?? performer).text, notes: p.notes, noteTime: p.noteTime })));
  (s.priorProcedures ?? []).forEach((p, i) => out.push(oracleProcedure({ id: n(70 + i), patientId: pid, patientName, encounterId: n(80 + i),
    cpt: p.cpt, display: p.display, text: p.text, performed: p.performed, performerId: performer.id, performerName: performer.text })));
  if (s.note) {
    const author = pr[s.note.author] ?? performer;
    out.push(...oracleNote({ id: n(90), patientId: pid, encounterId: todayEncId, authorId: author.id, authorName: author.text, date: s.note.date, text: s.note.text, binaryId: `XR-${n(91)}` }));
  }
  (s.meds ?? []).forEach((m, i) => out.push(oracleMedAdmin({ id: n(100 + i), patientId: pid, patientName, encounterId: encOf(m.encounter),
    med: { id: n(110 + i), ...m.med }, effective: m.effective, route: m.route, dose: m.dose, rate: m.rate,
    performerId: (pr[m.performer] ?? performer).id, performerName: (pr[m.performer] ?? performer).text, notes: m.notes })));
  (s.conditions ?? []).forEach((c, i) => out.push(oracleCondition({ id: condIds[i], patientId: pid,
    encounterId: c.visit ? todayEncId : c.encounter === 'launch' ? encId : undefined, ...c })));
  (s.devices ?? []).forEach((d, i) => out.push(oracleDevice({ id: n(120 + i), patientId: pid, patientName, ...d })));
  return collection(flat(ORACLE_BASE, out), s.timestamp);
}

// --------------------------------------------------------------------------------------------- US Core / CARIN / CRD

/** US Core / CARIN BB / Da Vinci CRD shapes: SOPT Coverage, "Dr" prefixed names, v2-0360 qualifications when given, Procedure.note. */
export function uscoreRecord(s) {
  const k = s.key;
  const pid = `${k}-patient`;
  const encId = `${k}-encounter`;
  const out = [uscorePatient({ id: pid, ...s.patient })];
  const pr = Object.fromEntries(s.practitioners.map((p) => [p.key, { ...p, id: `${k}-${p.key}` }]));
  const performer = pr[s.performer];
  for (const p of Object.values(pr)) out.push(uscorePractitioner({ id: p.id, family: p.family, given: p.given, prefix: p.prefix, suffix: p.suffix, npi: p.npi, qualification: p.qualification }));
  s.coverages.forEach((c, i) => {
    const orgId = `${k}-payer-${i}`;
    out.push(payerOrg({ id: orgId, name: c.payerName, naic: c.naic, carinPayerId: c.carinPayerId, state: c.state }));
    out.push(uscoreCoverage({ id: `${k}-coverage-${i}`, patientId: pid, payerOrgId: orgId, ...c }));
  });
  const locId = `${k}-location`;
  out.push({ resourceType: 'Location', id: locId, status: 'active', name: s.clinic.name,
    ...(s.clinic.pos ? { type: [cc([coding('https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set', s.clinic.pos.code, s.clinic.pos.display)])] } : {}),
    ...(s.clinic.roleCode ? { type: [cc([coding('http://terminology.hl7.org/CodeSystem/v3-RoleCode', s.clinic.roleCode.code, s.clinic.roleCode.display)])] } : {}),
    address: { line: ['10 Synthetic Ct'], city: s.clinic.city, state: s.clinic.state, postalCode: '00000', country: 'US' } });
  const condIds = (s.conditions ?? []).map((_, i) => `${k}-condition-${i}`);
  out.push({ resourceType: 'Encounter', id: encId, meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter'] },
    status: 'finished', class: coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'AMB', 'ambulatory'),
    type: [cc([coding(SYS.sct, '185349003', 'Encounter for check up (procedure)')], s.encounter.typeText ?? 'Office visit')],
    subject: { reference: `Patient/${pid}` },
    participant: [{ individual: { reference: `Practitioner/${performer.id}` } }],
    period: { start: s.encounter.start, end: s.encounter.end },
    ...(condIds.length ? { reasonReference: (s.conditions ?? []).map((c, i) => (c.visit ? { reference: `Condition/${condIds[i]}` } : undefined)).filter(Boolean) } : {}),
    location: [{ location: { reference: `Location/${locId}` } }] });
  (s.procedures ?? []).forEach((p, i) => out.push({ resourceType: 'Procedure', id: `${k}-procedure-${i}`,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure'] },
    status: 'completed', code: cc(p.cpt ? [coding(SYS.cpt, p.cpt, p.display)] : p.snomed ? [coding(SYS.sct, p.snomed.code, p.snomed.display)] : [], p.text),
    subject: { reference: `Patient/${pid}` }, encounter: { reference: `Encounter/${encId}` },
    performedDateTime: p.performed,
    performer: [{ actor: { reference: `Practitioner/${(pr[p.performer] ?? performer).id}` } },
      ...(p.supervisor ? [{ function: cc([], 'supervising physician'), actor: { reference: `Practitioner/${pr[p.supervisor].id}` } }] : [])],
    ...(p.notes?.length ? { note: p.notes.map((t) => ({ text: t })) } : {}) }));
  (s.priorProcedures ?? []).forEach((p, i) => out.push({ resourceType: 'Procedure', id: `${k}-prior-${i}`, status: 'completed',
    code: cc(p.cpt ? [coding(SYS.cpt, p.cpt, p.display)] : [], p.text), subject: { reference: `Patient/${pid}` }, performedDateTime: p.performed }));
  (s.meds ?? []).forEach((m, i) => out.push({ resourceType: 'MedicationAdministration', id: `${k}-medadmin-${i}`, status: 'completed',
    medicationCodeableConcept: cc(m.rxnorm ? [m.rxnorm] : [], m.text),
    subject: { reference: `Patient/${pid}` }, context: { reference: `Encounter/${encId}` }, effectiveDateTime: m.effective,
    performer: [{ actor: { reference: `Practitioner/${(pr[m.performer] ?? performer).id}` } }],
    ...(m.notes?.length ? { note: m.notes.map((t) => ({ text: t })) } : {}),
    dosage: { ...(m.dosageText ? { text: m.dosageText } : {}), route: cc([coding(SYS.sct, m.route.code, m.route.display)], m.route.display),
      dose: qty(m.dose.value, m.dose.unit), ...(m.rate ? { rateQuantity: qty(m.rate, 'mL/d') } : {}) } }));
  (s.conditions ?? []).forEach((c, i) => out.push({ resourceType: 'Condition', id: condIds[i],
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-encounter-diagnosis'] },
    clinicalStatus: cc([coding(SYS.condClinical, 'active')]), verificationStatus: cc([coding(SYS.condVerification, 'confirmed')]),
    category: [cc([coding(SYS.condCategory, c.visit ? 'encounter-diagnosis' : 'problem-list-item')])],
    code: cc([...(c.icd10 ? [coding(SYS.icd10, c.icd10, c.text)] : []), ...(c.snomed ? [coding(SYS.sct, c.snomed.code, c.snomed.display)] : [])], c.text),
    subject: { reference: `Patient/${pid}` }, ...(c.visit ? { encounter: { reference: `Encounter/${encId}` } } : {}), recordedDate: c.recorded }));
  (s.devices ?? []).forEach((d, i) => out.push({ resourceType: 'Device', id: `${k}-device-${i}`,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-implantable-device'] },
    status: 'active', manufacturer: d.manufacturer, ...(d.model ? { modelNumber: d.model } : {}), serialNumber: d.serial,
    deviceName: [{ name: d.name, type: 'manufacturer-name' }],
    type: cc(d.type ? [d.type] : [], d.typeText), patient: { reference: `Patient/${pid}` },
    ...(d.reservoirMl ? { property: [{ type: { text: 'reservoir volume' }, valueQuantity: [qty(d.reservoirMl, 'mL')] }] } : {}) }));
  return collection(flat(USCORE_BASE, out), s.timestamp);
}

// --------------------------------------------------------------------------------------------------------- Synthea

/** Synthea (FhirR4.java): urn:uuid fullUrls and references, SNOMED-only codes with display, Coverage-less payer on the Encounter's Claim. */
export function syntheaRecord(s) {
  const k = s.key;
  const id = (x) => uuid(`${k}-${x}`);
  const ref = (x) => ({ reference: synUrl(id(x)) });
  const out = [];
  const add = (x, r) => out.push({ fullUrl: synUrl(id(x)), resource: { ...r, id: id(x) } });
  add('patient', { resourceType: 'Patient', meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
    identifier: [{ system: 'https://github.com/synthetichealth/synthea', value: id('patient') },
      { type: cc([coding(SYS.v20203, 'MR', 'Medical Record Number')], 'Medical Record Number'), system: 'http://hospital.smarthealthit.org', value: id('patient') }],
    name: [{ use: 'official', family: s.patient.family, given: [s.patient.given], prefix: [s.patient.gender === 'female' ? 'Ms.' : 'Mr.'] }],
    gender: s.patient.gender, birthDate: s.patient.birthDate,
    address: [{ line: ['123 Synthea Rd'], city: s.patient.city, state: s.patient.state, postalCode: '00000', country: 'US' }] });
  add('org', { resourceType: 'Organization', identifier: [{ system: 'https://github.com/synthetichealth/synthea', value: id('org') }], active: true,
    type: [cc([coding('http://terminology.hl7.org/CodeSystem/organization-type', 'prov', 'Healthcare Provider')], 'Healthcare Provider')],
    name: s.clinic.name, address: [{ city: s.clinic.city, state: s.clinic.state, country: 'US' }] });
  add('location', { resourceType: 'Location', status: 'active', name: s.clinic.name, address: { city: s.clinic.city, state: s.clinic.state, country: 'US' }, managingOrganization: ref('org') });
  add('practitioner', { resourceType: 'Practitioner', identifier: [{ system: SYS.npi, value: s.practitioner.npi }], active: true,
    name: [{ family: s.practitioner.family, given: [s.practitioner.given], prefix: ['Dr.'] }], gender: 'female' });
  add('payer', { resourceType: 'Organization', active: true, type: [cc([coding('http://terminology.hl7.org/CodeSystem/organization-type', 'pay', 'Payer')])], name: s.payer.name });
  add('coverage', { resourceType: 'Coverage', status: 'active', type: cc(s.payer.sopt ? [coding(SYS.sopt, s.payer.sopt.code, s.payer.sopt.display)] : [], s.payer.name),
    beneficiary: ref('patient'), payor: [{ ...ref('payer'), display: s.payer.name }], period: { start: s.payer.start } });
  add('encounter', { resourceType: 'Encounter', status: 'finished', class: coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'AMB'),
    type: [cc([coding(SYS.sct, '185349003', 'Encounter for check up (procedure)')], 'Encounter for check up (procedure)')],
    subject: ref('patient'), participant: [{ individual: { ...ref('practitioner'), display: `Dr. ${s.practitioner.given} ${s.practitioner.family}` } }],
    period: { start: s.encounter.start, end: s.encounter.end }, location: [{ location: { ...ref('location'), display: s.clinic.name } }],
    serviceProvider: { ...ref('org'), display: s.clinic.name } });
  (s.conditions ?? []).forEach((c, i) => add(`cond-${i}`, { resourceType: 'Condition',
    clinicalStatus: cc([coding(SYS.condClinical, 'active')]), verificationStatus: cc([coding(SYS.condVerification, 'confirmed')]),
    category: [cc([coding(SYS.condCategory, 'encounter-diagnosis', 'Encounter Diagnosis')])],
    code: cc([coding(SYS.sct, c.snomed.code, c.snomed.display)], c.snomed.display), subject: ref('patient'), encounter: ref('encounter'),
    onsetDateTime: c.onset, recordedDate: c.onset }));
  (s.devices ?? []).forEach((d, i) => add(`device-${i}`, { resourceType: 'Device', udiCarrier: [{ deviceIdentifier: d.udiDi ?? '00000000000000', carrierHRF: `(01)${d.udiDi ?? '00000000000000'}(21)${d.serial}` }],
    status: 'active', distinctIdentifier: d.serial, manufactureDate: d.implanted, serialNumber: d.serial,
    deviceName: [{ name: d.name, type: 'user-friendly-name' }], type: cc([coding(SYS.sct, d.snomed.code, d.snomed.display)], d.name), patient: ref('patient') }));
  (s.procedures ?? []).forEach((p, i) => add(`proc-${i}`, { resourceType: 'Procedure', status: 'completed',
    code: cc([coding(SYS.sct, p.snomed.code, p.snomed.display)], p.text), subject: ref('patient'), encounter: ref('encounter'),
    performedPeriod: { start: p.start, end: p.end }, ...(p.notes?.length ? { note: p.notes.map((t) => ({ text: t })) } : {}),
    location: { ...ref('location'), display: s.clinic.name } }));
  (s.priorProcedures ?? []).forEach((p, i) => add(`prior-${i}`, { resourceType: 'Procedure', status: 'completed',
    code: cc([coding(SYS.sct, p.snomed.code, p.snomed.display)], p.text), subject: ref('patient'), encounter: ref(`prior-enc-${i}`),
    performedPeriod: { start: p.start, end: p.end } }));
  (s.meds ?? []).forEach((m, i) => add(`ma-${i}`, { resourceType: 'MedicationAdministration', status: 'completed',
    medicationCodeableConcept: cc([], m.text), subject: ref('patient'), context: ref('encounter'), effectiveDateTime: m.effective,
    ...(m.notes?.length ? { note: m.notes.map((t) => ({ text: t })) } : {}),
    dosage: { route: cc([coding(SYS.sct, m.route.code, m.route.display)], m.route.display), dose: qty(m.dose.value, m.dose.unit) } }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: s.timestamp, entry: out };
}
