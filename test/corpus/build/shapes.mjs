/**
 * Vendor shapes for the corpus records, one small constructor per resource and vendor. Each constructor copies the
 * shape of a public example (named in the comment above it, and in test/corpus/README.md); the values are synthetic.
 * Run `node test/corpus/build/build-corpus.mjs` to rewrite test/corpus/records/*.json and test/corpus/expected.json.
 */
import { createHash } from 'node:crypto';

export const SYS = {
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  sct: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  sopt: 'https://nahdo.org/sopt',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  nucc: 'http://nucc.org/provider-taxonomy',
  v20360: 'http://terminology.hl7.org/CodeSystem/v2-0360',
  v20203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  ucum: 'http://unitsofmeasure.org',
  covClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  relationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  condCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  condClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  condVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  docCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  // Epic (jmandel/ehi-to-fhir fhir-target/*.json; Medplum examples/medplum-demo-bots/src/epic/)
  epicPayerId: 'http://open.epic.com/FHIR/StructureDefinition/payer-id',
  epicTaxonomyOid: 'urn:oid:1.2.840.114350.1.13.283.2.7.5.737384.126',
  epicQualificationOid: 'urn:oid:1.2.840.114350.1.13.0.1.7.4.836982.6000',
  epicEncounterClassOid: 'urn:oid:1.2.840.114350.1.72.1.7.7.10.696784.13260',
  epicEncounterTypeOid: 'urn:oid:1.2.840.114350.1.13.283.2.7.10.698084.30',
  epicNoteTypeOid: 'urn:oid:1.2.840.114350.1.13.283.2.7.4.737880.5010',
  epicRouteOid: 'urn:oid:1.2.840.114350.1.13.283.2.7.4.798268.7025',
  epicDeviceTypeOid: 'urn:oid:1.2.840.114350.1.13.283.2.7.4.698288.310',
  epicImoOid: 'urn:oid:1.2.840.114350.1.13.283.2.7.2.728286',
  epicOutcomeOid: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.657369',
  epicProviderTypeExt: 'http://open.epic.com/FHIR/StructureDefinition/extension/clinical-note-author-provider-type',
  epicBillingOrgExt: 'http://open.epic.com/FHIR/StructureDefinition/extension/billing-organization',
  // Oracle Health (cerner/fhir.cerner.com lib/resources/example_json/r4_*.rb)
  oracleIsPhysician: 'https://fhir-ehr.cerner.com/r4/StructureDefinition/is-physician',
  oracleCoverageEncounter: 'https://fhir-ehr.cerner.com/r4/StructureDefinition/coverage-encounter',
  oracleCodeSet: (n) => `https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/${n}`,
  // CARIN BB (HL7 carin-bb input/examples)
  carinIdType: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType',
};

export const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

/** Epic-style FHIR ids: "e" + base64url-ish characters with '.' and '-', ending in a digit (ehi-to-fhir ids). */
export function epicId(seed, length = 24) {
  let out = '';
  let i = 0;
  while (out.length < length - 2) {
    out += createHash('sha256').update(`${seed}:${i++}`).digest('base64').replace(/\+/g, '.').replace(/\//g, '-').replace(/=/g, '');
  }
  return `e${out.slice(0, length - 2)}3`;
}

/** A v4-shaped uuid from a seed (Synthea uses urn:uuid fullUrls). */
export function uuid(seed) {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const coding = (system, code, display) => ({ system, code, ...(display ? { display } : {}) });
export const cc = (codings, text) => ({ ...(codings.length ? { coding: codings } : {}), ...(text ? { text } : {}) });
export const qty = (value, unit) => ({ value, unit, system: SYS.ucum, code: unit });

// ----------------------------------------------------------------------------------------------------------- Epic

/** Epic Patient: legal-sex extension, many OID identifiers, official + usual names (Medplum epic-query-patient-test-data.ts). */
export function epicPatient({ id, family, given, birthDate, gender, state, city, mrn }) {
  return {
    resourceType: 'Patient', id,
    extension: [{ url: 'http://open.epic.com/FHIR/StructureDefinition/extension/legal-sex',
      valueCodeableConcept: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.10.698084.130.657370.19999000', code: gender, display: gender }] } }],
    identifier: [
      { use: 'usual', type: { text: 'EPI' }, system: 'urn:oid:1.2.840.114350.1.13.283.2.7.5.737384.14', value: mrn },
      { use: 'usual', type: { text: 'FHIR STU3' }, system: 'http://open.epic.com/FHIR/StructureDefinition/patient-fhir-id', value: id },
    ],
    active: true,
    name: [{ use: 'official', text: `${given} ${family}`, family, given: [given] }, { use: 'usual', text: `${given} ${family}`, family, given: [given] }],
    gender, birthDate,
    address: [{ use: 'home', line: ['1 Synthetic Ave'], city, state, postalCode: '00000', country: 'US' }],
  };
}

/**
 * Epic Practitioner: NPI plus INTERNAL/EXTERNAL OIDs; the NUCC taxonomy sits in an Epic-OID identifier (".126",
 * ehi-to-fhir Practitioner.json) and there is usually no qualification; when there is one it is coded in an Epic OID
 * (Medplum epicPractitioner: code 11 "MD"). Names: "Dr. Z Rammelkamp" (prefix only) or "Family Medicine Physician, MD".
 */
export function epicPractitioner({ id, text, family, given, prefix, npi, taxonomy, qualification }) {
  return {
    resourceType: 'Practitioner', id,
    identifier: [
      { use: 'usual', type: { text: 'NPI' }, system: SYS.npi, value: npi },
      { use: 'usual', type: { text: 'INTERNAL' }, system: 'urn:oid:1.2.840.114350.1.13.283.2.7.2.697780', value: ` ${family.toUpperCase().slice(0, 6)}` },
      { use: 'usual', type: { text: 'EXTERNAL' }, system: 'urn:oid:1.2.840.114350.1.13.283.2.7.2.697780', value: family.toUpperCase().slice(0, 6) },
      ...(taxonomy ? [{ use: 'usual', system: SYS.epicTaxonomyOid, value: taxonomy }] : []),
    ],
    active: true,
    name: [{ use: 'usual', text, family, given: [given], ...(prefix ? { prefix: [prefix] } : {}) }],
    ...(qualification ? { qualification: [{ code: { coding: [coding(SYS.epicQualificationOid, qualification.code, qualification.display)], text: qualification.display } }] } : {}),
  };
}

/** Epic payer Organization: NPI first (billing), then the payer id (ehi-to-fhir Organization.json; Medplum epicOrganization). */
export function epicPayerOrg({ id, name, npi, payerId }) {
  return {
    resourceType: 'Organization', id,
    identifier: [
      ...(npi ? [{ use: 'usual', type: { text: 'NPI' }, system: SYS.npi, value: npi }] : []),
      { use: 'official', system: SYS.epicPayerId, value: payerId },
    ],
    active: true,
    type: [cc([coding('urn:oid:1.2.840.114350.1.72.1.7.7.10.678671.120', '1', 'Payor')], 'Payor')],
    name,
  };
}

/** Epic Coverage: contained billing Organization, Epic-OID identifier, SOPT type, payer-id identifier on payor, class plan with name, order (ehi-to-fhir Coverage.json). */
export function epicCoverage({ id, patientId, patientName, payerOrgId, payerName, payerId, sopt, plan, memberId, start, order, status = 'active', end }) {
  return {
    resourceType: 'Coverage', id,
    contained: [{ resourceType: 'Organization', id: 'org1', name: payerName,
      type: [cc([coding('urn:oid:1.2.840.114350.1.72.1.7.7.10.678671.120', '3', 'Insurance Plan')], 'Insurance Plan')] }],
    extension: [{ url: SYS.epicBillingOrgExt, valueReference: { reference: '#org1' } }],
    identifier: [
      { system: 'urn:oid:1.2.840.114350.1.13.283.2.7.2.678671', value: memberId.replace(/\D/g, '').slice(0, 7) || '5934765' },
      { type: { coding: [coding(SYS.v20203, 'MB', 'Member Number')] }, value: memberId },
    ],
    status,
    ...(sopt ? { type: cc([coding(SYS.sopt, sopt.code, sopt.display)], sopt.display) } : {}),
    subscriber: { reference: `Patient/${patientId}`, display: patientName },
    subscriberId: memberId,
    beneficiary: { reference: `Patient/${patientId}`, display: patientName },
    relationship: cc([coding('urn:oid:1.2.840.114350.1.13.283.2.7.10.678671.305', '01', 'Self'), coding(SYS.relationship, 'self', 'Self')], 'Self'),
    period: { start, ...(end ? { end } : {}) },
    payor: [{ reference: `Organization/${payerOrgId}`, identifier: { use: 'official', system: SYS.epicPayerId, value: payerId }, display: payerName }],
    class: [
      { type: cc([coding(SYS.covClass, 'group', 'Group')]), value: '1000010' },
      { type: cc([coding(SYS.covClass, 'plan', 'Plan')]), value: plan.value, name: plan.name },
    ],
    ...(order !== undefined ? { order } : {}),
  };
}

/** Epic Location: OID identifiers, name, address; no CMS POS code (ehi-to-fhir Location.json). */
export function epicLocation({ id, name, city, state }) {
  return {
    resourceType: 'Location', id,
    identifier: [{ use: 'usual', system: 'urn:oid:1.2.840.114350.1.13.283.2.7.2.686980', value: id.slice(1, 9) }],
    status: 'active', name, mode: 'instance',
    address: { use: 'work', line: ['200 Synthetic Blvd'], city, state, postalCode: '00000', country: 'USA' },
  };
}

/** Epic Encounter: OID class ("Appointment") and type ("Office Visit"), UTC instants, participant PART (ehi-to-fhir Encounter.json). */
export function epicEncounter({ id, patientId, patientName, practitionerId, practitionerName, start, end, locationId, locationName, typeText = 'Office Visit', diagnosisIds = [] }) {
  return {
    resourceType: 'Encounter', id,
    extension: [{ url: 'http://open.epic.com/FHIR/StructureDefinition/extension/accidentrelated', valueBoolean: false }],
    identifier: [{ use: 'usual', system: 'urn:oid:1.2.840.114350.1.13.283.2.7.3.698084.8', value: String(1169000000 + (id.charCodeAt(3) * 7919) % 999999) }],
    status: 'finished',
    class: coding(SYS.epicEncounterClassOid, '5', 'Appointment'),
    type: [cc([coding(SYS.epicEncounterTypeOid, '101', typeText)], typeText)],
    subject: { reference: `Patient/${patientId}`, display: patientName },
    participant: [{ type: [cc([coding('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'PART', 'Participation')], 'Participation')],
      period: { start, end }, individual: { reference: `Practitioner/${practitionerId}`, display: practitionerName } }],
    period: { start, end },
    ...(diagnosisIds.length ? { diagnosis: diagnosisIds.map((cid, i) => ({ condition: { reference: `Condition/${cid}` }, rank: i + 1 })) } : {}),
    location: [{ location: { reference: `Location/${locationId}`, display: locationName } }],
  };
}

/** Epic Procedure: CPT coding with the charge display ("PR ..."), encounter, UTC instant, performer actor (ehi-to-fhir shapes). */
export function epicProcedure({ id, patientId, encounterId, cpt, display, text, performed, performerId, performerName }) {
  return {
    resourceType: 'Procedure', id, status: 'completed',
    category: cc([coding(SYS.sct, '387713003', 'Surgical procedure')], 'Surgical History'),
    code: cc(cpt ? [coding(SYS.cpt, cpt, display)] : [], text),
    subject: { reference: `Patient/${patientId}` },
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    performedDateTime: performed,
    performer: [{ actor: { reference: `Practitioner/${performerId}`, display: performerName } }],
  };
}

/**
 * Epic clinical note: DocumentReference (LOINC + Epic OID type, clinical-note category, author-provider-type
 * extension, context.encounter) with the text inline as base64 text/plain, or by Binary url (text/html, text/rtf)
 * (ehi-to-fhir DocumentReference.json).
 */
export function epicNote({ id, patientId, encounterId, authorId, authorName, providerType, date, text, as = 'plain', binaryId }) {
  const attachment = as === 'plain'
    ? { contentType: 'text/plain', data: b64(text) }
    : { contentType: as === 'html' ? 'text/html' : 'text/rtf', url: `Binary/${binaryId}` };
  const doc = {
    resourceType: 'DocumentReference', id,
    identifier: [{ system: 'urn:oid:1.2.840.114350.1.13.283.2.7.2.727879', value: String(6400000000 + id.length * 1013) }],
    status: 'current', docStatus: 'final',
    type: cc([coding(SYS.epicNoteTypeOid, '1', 'Progress Notes'), coding(SYS.loinc, '11506-3', 'Progress note')], 'Progress Notes'),
    category: [cc([coding(SYS.docCategory, 'clinical-note', 'Clinical Note')], 'Clinical Note')],
    subject: { reference: `Patient/${patientId}` },
    date,
    author: [{ reference: `Practitioner/${authorId}`, type: 'Practitioner', display: authorName }],
    content: [{ attachment, format: { system: 'http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' } }],
    context: {
      extension: [{ url: SYS.epicProviderTypeExt, valueCodeableConcept: cc([coding('urn:oid:1.2.840.114350.1.13.283.2.7.4.836982.1040', providerType.code, providerType.display)], providerType.display) }],
      encounter: [{ reference: `Encounter/${encounterId}` }],
      period: { start: date },
    },
  };
  if (as === 'plain') return [doc];
  const body = as === 'html' ? htmlNote(text) : rtfNote(text);
  return [doc, { resourceType: 'Binary', id: binaryId, contentType: as === 'html' ? 'text/html' : 'text/rtf', data: b64(body) }];
}

export function htmlNote(text) {
  const paras = text.split('\n').filter(Boolean).map((l) => `<p>${l.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Progress Notes</title><style>p{margin:0}</style></head><body><div class="note">\n${paras}\n</div></body></html>`;
}

export function rtfNote(text) {
  const lines = text.split('\n').filter(Boolean).map((l) => `${l.replace(/\\/g, '\\\\').replace(/[{}]/g, (c) => `\\${c}`)}\\par`).join('\n');
  return `{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red0\\green0\\blue0;}\\viewkind4\\uc1\\pard\\f0\\fs20\n${lines}\n}`;
}

/** Epic Medication (by reference from MedicationAdministration): Epic OID code + text, form, ingredient strength. */
export function epicMedication({ id, text, strength, rxnorm }) {
  return {
    resourceType: 'Medication', id,
    code: cc([coding('urn:oid:1.2.840.114350.1.13.283.2.7.2.698288', String(100000 + id.length * 37), text), ...(rxnorm ? [rxnorm] : [])], text),
    form: cc([coding('urn:oid:1.2.840.114350.1.13.283.2.7.4.698288.310', '8', 'Solution')], 'Solution'),
    ...(strength ? { ingredient: [{ itemCodeableConcept: cc([], strength.ingredient), strength: {
      numerator: qty(strength.value, strength.unit), denominator: qty(1, 'mL') } }] } : {}),
  };
}

/** Epic MedicationAdministration: medicationReference only (no name inline), Epic OID route with text, dose. */
export function epicMedAdmin({ id, patientId, encounterId, medicationId, medicationDisplay, effective, route, dose, rate, performerId, note }) {
  return {
    resourceType: 'MedicationAdministration', id, status: 'completed',
    medicationReference: { reference: `Medication/${medicationId}`, ...(medicationDisplay ? { display: medicationDisplay } : {}) },
    subject: { reference: `Patient/${patientId}` },
    context: { reference: `Encounter/${encounterId}` },
    effectivePeriod: { start: effective, end: effective },
    performer: [{ actor: { reference: `Practitioner/${performerId}` } }],
    ...(note ? { note: [{ text: note }] } : {}),
    dosage: {
      route: cc([coding(SYS.epicRouteOid, route.code, route.text)], route.text),
      dose: qty(dose.value, dose.unit),
      ...(rate ? { rateQuantity: { value: rate, unit: 'mL/d', system: SYS.ucum, code: 'mL/d' } } : {}),
    },
  };
}

/** Epic Condition: encounter-diagnosis or problem-list-item category, ICD-10-CM + IMO-style OID + SNOMED codings. */
export function epicCondition({ id, patientId, encounterId, icd10, snomed, text, category = 'encounter-diagnosis', onset, recorded }) {
  return {
    resourceType: 'Condition', id,
    clinicalStatus: cc([coding(SYS.condClinical, 'active', 'Active')], 'Active'),
    verificationStatus: cc([coding(SYS.condVerification, 'confirmed', 'Confirmed')], 'Confirmed'),
    category: [cc([coding(SYS.condCategory, category, category === 'encounter-diagnosis' ? 'Encounter Diagnosis' : 'Problem List Item')], category === 'encounter-diagnosis' ? 'Encounter Diagnosis' : 'Problem List Item')],
    code: cc([
      coding(SYS.epicImoOid, String(900000 + text.length * 11), text),
      ...(icd10 ? [coding(SYS.icd10, icd10, text)] : []),
      ...(snomed ? [coding(SYS.sct, snomed.code, snomed.display)] : []),
    ], text),
    subject: { reference: `Patient/${patientId}` },
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    ...(onset ? { onsetDateTime: onset } : {}),
    recordedDate: recorded,
  };
}

/** Epic implant Device: type in an Epic OID with text only; the reservoir size lives in the name ("40ML"). */
export function epicDevice({ id, patientId, typeText, name, manufacturer, model, serial }) {
  return {
    resourceType: 'Device', id,
    udiCarrier: [{ carrierHRF: `(01)00000000000000(21)${serial}` }],
    status: 'active', manufacturer,
    ...(model ? { modelNumber: model } : {}),
    serialNumber: serial,
    deviceName: [{ name, type: 'user-friendly-name' }],
    type: cc([coding(SYS.epicDeviceTypeOid, String(2000 + name.length), typeText)], typeText),
    patient: { reference: `Patient/${patientId}` },
  };
}

/** Epic searchset with an OperationOutcome entry (search.mode outcome) — warnings Epic returns in search results. */
export function epicSearchset(baseUrl, type, resources, outcome) {
  const entry = resources.map((r) => ({ link: [{ relation: 'self', url: `${baseUrl}/${r.resourceType}/${r.id}` }], fullUrl: `${baseUrl}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } }));
  if (outcome) {
    entry.push({ fullUrl: `urn:uuid:${uuid(`${type}-${outcome.code}-${resources.length}`)}`, resource: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'warning', code: outcome.issueCode ?? 'processing',
        details: { coding: [coding(SYS.epicOutcomeOid, outcome.code, outcome.text)], text: outcome.text },
        ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}) }],
    }, search: { mode: 'outcome' } });
  }
  return { resourceType: 'Bundle', type: 'searchset', total: resources.length,
    link: [{ relation: 'self', url: `${baseUrl}/${type}?patient=${resources[0]?.subject?.reference ?? ''}` }], entry };
}

// --------------------------------------------------------------------------------------------------- Oracle Health

const oracleMeta = (v = '0', t = '2026-11-20T18:00:00.000Z') => ({ versionId: v, lastUpdated: t });

/** Oracle Practitioner: is-physician extension, NPI with v2-0203 type, qualification in codeSet 29600 ("Cerner Test, Physician - Hospitalist Cerner" name style). */
export function oraclePractitioner({ id, text, family, given, isPhysician, npi, qualification }) {
  return {
    resourceType: 'Practitioner', id, meta: oracleMeta('20'),
    extension: [{ valueBoolean: isPhysician, url: SYS.oracleIsPhysician }],
    identifier: [{ use: 'usual', type: cc([coding(SYS.v20203, 'NPI', 'National provider identifier')], 'National Provider Identifier'), system: SYS.npi, value: npi }],
    active: true,
    name: [{ use: 'usual', text, family, given }],
    ...(qualification ? { qualification: [{ code: cc([{ ...coding(SYS.oracleCodeSet(29600), qualification.code, qualification.display), userSelected: true }], qualification.display) }] } : {}),
  };
}

/** Oracle Coverage: no `order`, payor reference + display, class plan (value + name), UTC instants, coverage-encounter extension (r4_examples_coverage.rb). */
export function oracleCoverage({ id, patientId, patientName, payerOrgId, payerName, planValue, planName, start, end, type, encounterId, classSystem = SYS.covClass }) {
  return {
    resourceType: 'Coverage', id, meta: oracleMeta('24-24', '2026-07-06T17:03:43.000Z'),
    ...(encounterId ? { extension: [{ url: SYS.oracleCoverageEncounter, valueReference: { reference: `Encounter/${encounterId}` } }] } : {}),
    status: 'active',
    ...(type ? { type } : {}),
    subscriber: { reference: `Patient/${patientId}`, display: patientName },
    beneficiary: { reference: `Patient/${patientId}`, display: patientName },
    relationship: cc([{ ...coding(SYS.relationship, 'self', 'Self'), userSelected: false }], 'Self'),
    period: { start, ...(end ? { end } : {}) },
    payor: [{ ...(payerOrgId ? { reference: `Organization/${payerOrgId}` } : {}), display: payerName }],
    class: [{ type: { coding: [{ system: classSystem, code: 'plan' }] }, value: planValue, name: planName }],
  };
}

export function oracleOrg({ id, name }) {
  return { resourceType: 'Organization', id, meta: oracleMeta(), active: true, name };
}

/** Oracle Patient: codeSet-coded extensions kept minimal; address with state. */
export function oraclePatient({ id, family, given, birthDate, gender, state, city }) {
  return {
    resourceType: 'Patient', id, meta: oracleMeta('12'),
    identifier: [{ use: 'usual', type: cc([{ ...coding(SYS.oracleCodeSet(4), '10', 'MRN'), userSelected: true }, coding(SYS.v20203, 'MR', 'Medical record number')], 'MRN'),
      system: 'urn:oid:2.16.840.1.113883.6.1000', value: String(100000 + id.length * 977) }],
    active: true,
    name: [{ use: 'official', text: `${family.toUpperCase()}, ${given.toUpperCase()}`, family: family.toUpperCase(), given: [given.toUpperCase()] }],
    gender, birthDate,
    address: [{ use: 'home', text: `1 Synthetic St\n${city}, ${state} 00000\nUS`, line: ['1 Synthetic St'], city, state, postalCode: '00000', country: 'US' }],
  };
}

/** Oracle Encounter: codeSet 71 class/type, serviceType, contained Location (#loc), UTC instants. */
export function oracleEncounter({ id, patientId, patientName, start, end, location, practitionerId, practitionerName, diagnosisIds = [] }) {
  return {
    resourceType: 'Encounter', id, meta: oracleMeta('3'),
    contained: [{ resourceType: 'Location', id: 'loc1', name: location.name, status: 'active',
      type: [cc([{ ...coding(SYS.oracleCodeSet(222), '772', 'Ambulatory(s)'), userSelected: true }], 'Ambulatory(s)')],
      address: { line: ['300 Synthetic Pkwy'], city: location.city, state: location.state, postalCode: '00000', country: 'US' } }],
    status: 'finished',
    class: { system: SYS.actCode, code: 'AMB', display: 'ambulatory' },
    type: [cc([{ ...coding(SYS.oracleCodeSet(71), '2560523697', 'Clinic'), userSelected: true }], 'Clinic')],
    serviceType: cc([{ ...coding(SYS.oracleCodeSet(34), '2560523699', 'Pain Management'), userSelected: true }], 'Pain Management'),
    subject: { reference: `Patient/${patientId}`, display: patientName },
    participant: [{ type: [cc([coding('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'ATND', 'attender')], 'Attending Physician')],
      individual: { reference: `Practitioner/${practitionerId}`, display: practitionerName } }],
    period: { start, ...(end ? { end } : {}) },
    ...(diagnosisIds.length ? { diagnosis: diagnosisIds.map((cid, i) => ({ condition: { reference: `Condition/${cid}` }, use: cc([coding('http://terminology.hl7.org/CodeSystem/diagnosis-role', 'billing', 'Billing')], 'Billing'), rank: i + 1 })) } : {}),
    location: [{ location: { reference: '#loc1', display: location.name }, status: 'active' }],
  };
}

/** Oracle Procedure: CPT coding userSelected + text (or text only), date-only performedDateTime, note with authorReference (r4_examples_procedure.rb). */
export function oracleProcedure({ id, patientId, patientName, encounterId, cpt, display, text, performed, performerId, performerName, notes = [], noteTime }) {
  return {
    resourceType: 'Procedure', id, meta: oracleMeta('0'),
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Procedure</b></p><p><b>Procedure</b>: ${text}</p></div>` },
    status: 'completed',
    code: cc(cpt ? [{ ...coding(SYS.cpt, cpt, display), userSelected: true }] : [], text),
    subject: { reference: `Patient/${patientId}`, display: patientName },
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    performedDateTime: performed,
    recorder: { reference: `Practitioner/${performerId}`, display: performerName },
    performer: [{ actor: { reference: `Practitioner/${performerId}`, display: performerName } }],
    ...(notes.length ? { note: notes.map((t) => ({ authorReference: { reference: `Practitioner/${performerId}`, display: performerName }, time: noteTime ?? `${performed}T20:21:46Z`.slice(0, 20), text: t })) } : {}),
  };
}

/** Oracle MedicationAdministration: contained Medication (#id) with ingredient strength, codeSet route text, dose (r4_examples_medication_administration.rb). */
export function oracleMedAdmin({ id, patientId, patientName, encounterId, med, effective, route, dose, rate, performerId, performerName, notes = [] }) {
  return {
    resourceType: 'MedicationAdministration', id, meta: oracleMeta('197287788'),
    contained: [{ resourceType: 'Medication', id: med.id,
      code: cc(med.rxnorm ? [{ ...med.rxnorm, userSelected: false }] : [], med.text),
      ...(med.ingredients ? { ingredient: med.ingredients.map((ing) => ({
        itemCodeableConcept: cc(ing.rxnorm ? [{ ...ing.rxnorm, userSelected: false }] : [], ing.text),
        ...(ing.value ? { strength: { numerator: { value: ing.value, unit: ing.unitName ?? ing.unit, system: SYS.ucum, code: ing.unit },
          denominator: { value: 1, unit: 'milliliter (iso1000)', system: SYS.ucum, code: 'mL' } } } : {}),
      })) } : {}) }],
    status: 'completed',
    medicationReference: { reference: `#${med.id}`, display: med.text },
    subject: { reference: `Patient/${patientId}`, display: patientName },
    context: { reference: `Encounter/${encounterId}` },
    effectiveDateTime: effective,
    performer: [{ function: cc([coding('http://terminology.hl7.org/CodeSystem/med-admin-perform-function', 'performer', 'Performer')], 'Performer'),
      actor: { reference: `Practitioner/${performerId}`, display: performerName } }],
    ...(notes.length ? { note: notes.map((t) => ({ text: t })) } : {}),
    dosage: {
      route: cc(route.snomed ? [{ ...coding(SYS.sct, route.snomed, route.display), userSelected: false }] : [], route.text),
      dose: { value: dose.value, unit: dose.unitName ?? dose.unit, system: SYS.ucum, code: dose.unit },
      ...(rate ? { rateQuantity: { value: rate, unit: 'milliliter per day', system: SYS.ucum, code: 'mL/d' } } : {}),
    },
  };
}

/** Oracle Condition: ICD-10-CM and SNOMED codings with userSelected, codeSet category, encounter. */
export function oracleCondition({ id, patientId, encounterId, icd10, snomed, text, recorded, category = 'encounter-diagnosis' }) {
  return {
    resourceType: 'Condition', id, meta: oracleMeta('1'),
    clinicalStatus: cc([coding(SYS.condClinical, 'active', 'Active')], 'Active'),
    verificationStatus: cc([coding(SYS.condVerification, 'confirmed', 'Confirmed')], 'Confirmed'),
    category: [cc([coding(SYS.condCategory, category, category === 'encounter-diagnosis' ? 'Encounter Diagnosis' : 'Problem List Item')], category === 'encounter-diagnosis' ? 'Encounter Diagnosis' : 'Problem List Item')],
    code: cc([
      ...(icd10 ? [{ ...coding(SYS.icd10, icd10, text), userSelected: true }] : []),
      ...(snomed ? [{ ...coding(SYS.sct, snomed.code, snomed.display), userSelected: false }] : []),
    ], text),
    subject: { reference: `Patient/${patientId}` },
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    recordedDate: recorded,
  };
}

/** Oracle Device: implants only; type text only, deviceName user-friendly-name, serial identifier (r4_examples_device.rb). */
export function oracleDevice({ id, patientId, patientName, typeText, name, manufacturer, model, serial }) {
  return {
    resourceType: 'Device', id, meta: oracleMeta(),
    identifier: [{ type: cc([coding(SYS.v20203, 'SNO', 'Serial Number')], 'Serial Number'), value: serial }],
    status: 'active', ...(manufacturer ? { manufacturer } : {}), serialNumber: serial,
    deviceName: [{ name, type: 'user-friendly-name' }],
    ...(model ? { modelNumber: model } : {}),
    type: { text: typeText },
    patient: { reference: `Patient/${patientId}`, display: patientName },
  };
}

/** Oracle DocumentReference (clinical note): codeSet 72 type + LOINC, Binary by url (text/html), context.encounter. */
export function oracleNote({ id, patientId, encounterId, authorId, authorName, date, text, binaryId }) {
  return [{
    resourceType: 'DocumentReference', id, meta: oracleMeta('1'),
    status: 'current', docStatus: 'final',
    type: cc([{ ...coding(SYS.oracleCodeSet(72), '2820507', 'Pain Management Note'), userSelected: true }, coding(SYS.loinc, '28570-0', 'Procedure note')], 'Pain Management Note'),
    category: [cc([coding(SYS.docCategory, 'clinical-note', 'Clinical Note')], 'Clinical Note')],
    subject: { reference: `Patient/${patientId}` },
    date,
    author: [{ reference: `Practitioner/${authorId}`, display: authorName }],
    authenticator: { reference: `Practitioner/${authorId}`, display: authorName },
    content: [{ attachment: { contentType: 'text/html', url: `Binary/${binaryId}`, title: 'Pain Management Note', creation: date }, format: { system: 'http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' } }],
    context: { encounter: [{ reference: `Encounter/${encounterId}` }], period: { start: date, end: date } },
  }, { resourceType: 'Binary', id: binaryId, contentType: 'text/html', data: b64(htmlNote(text)) }];
}

// ------------------------------------------------------------------------------------------- US Core / CARIN / Da Vinci

/** US Core Practitioner: NPI identifier, name with "Dr" prefix only, no qualification (US Core practitioner-practitioner-1 example). */
export function uscorePractitioner({ id, family, given, prefix, suffix, npi, qualification }) {
  return {
    resourceType: 'Practitioner', id,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner'] },
    identifier: [{ system: SYS.npi, value: npi }],
    name: [{ family, given: [given], ...(prefix ? { prefix: [prefix] } : {}), ...(suffix ? { suffix: [suffix] } : {}) }],
    ...(qualification ? { qualification: [{ code: cc([coding(SYS.v20360, qualification, qualification === 'NP' ? 'Nurse Practitioner' : qualification === 'DO' ? 'Doctor of Osteopathy' : 'Doctor of Medicine')]) }] } : {}),
  };
}

export function uscorePatient({ id, family, given, birthDate, gender, state, city }) {
  return {
    resourceType: 'Patient', id, meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
    identifier: [{ use: 'usual', type: cc([coding(SYS.v20203, 'MR', 'Medical Record Number')], 'Medical Record Number'), system: 'http://hospital.smarthealthit.org', value: String(1032700 + id.length) }],
    active: true, name: [{ family, given: [given] }], gender, birthDate,
    address: [{ line: ['49 Synthetic Ln'], city, state, postalCode: '00000', country: 'US' }],
  };
}

/** US Core Coverage: SOPT type, class group + plan, payor Organization (US Core coverage-example / Da Vinci CRD coverage examples). */
export function uscoreCoverage({ id, patientId, payerOrgId, payerName, sopt, planName, planValue, start, end, order, memberId, status = 'active' }) {
  return {
    resourceType: 'Coverage', id, meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage'] },
    identifier: [{ type: cc([coding(SYS.v20203, 'MB', 'Member Number')]), system: 'https://github.com/inferno-framework/us-core-test-kit', value: memberId }],
    status,
    type: cc([coding(SYS.sopt, sopt.code, sopt.display)], sopt.display),
    subscriberId: memberId,
    beneficiary: { reference: `Patient/${patientId}` },
    relationship: cc([coding(SYS.relationship, 'self', 'Self')]),
    period: { start, ...(end ? { end } : {}) },
    payor: [{ reference: `Organization/${payerOrgId}`, display: payerName }],
    class: [
      { type: cc([coding(SYS.covClass, 'group', 'Group')]), value: 'GRP-1001', name: `${payerName} group` },
      ...(planName ? [{ type: cc([coding(SYS.covClass, 'plan', 'Plan')]), value: planValue ?? 'PLAN-1', name: planName }] : []),
    ],
    ...(order !== undefined ? { order } : {}),
  };
}

/** Payer Organization with an NAIC (US Core/PDex) or CARIN payerid identifier. */
export function payerOrg({ id, name, naic, carinPayerId, state }) {
  return {
    resourceType: 'Organization', id,
    identifier: [
      ...(naic ? [{ system: 'urn:oid:2.16.840.1.113883.6.300', value: naic }] : []),
      ...(carinPayerId ? [{ type: cc([coding(SYS.carinIdType, 'payerid', 'Payer ID')]), system: 'https://www.cms.gov/CCIIO/Resources/Data-Resources/ciihpid', value: carinPayerId }] : []),
    ],
    active: true,
    type: [cc([coding('http://terminology.hl7.org/CodeSystem/organization-type', 'pay', 'Payer')])],
    name,
    ...(state ? { address: [{ state, country: 'US' }] } : {}),
  };
}

// ------------------------------------------------------------------------------------------------------- Synthea

/** Synthea fullUrl: urn:uuid:<id>; references are "urn:uuid:<id>" too (FhirR4.java). */
export const synUrl = (id) => `urn:uuid:${id}`;
