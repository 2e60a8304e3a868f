#!/usr/bin/env node
/**
 * Writes the vendor-shaped sandbox patients (server/sandbox/fixtures/pt-epic-*.json, pt-oracle-*.json) from the same
 * shape constructors as the corpus, laid out as the sandbox stores them: a flat collection Bundle, fullUrls under the
 * sandbox base, a readable Patient id (the file name), and no OperationOutcome entries (Epic mode adds those to its
 * search results itself). Ids the app reads by id stay within 64 characters; resources it finds by search keep
 * Epic's 66–110-character ids. Run: node test/corpus/build/build-sandbox-fixtures.mjs
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { epicRecords } from './records-epic.mjs';
import { oracleRecords } from './records-oracle.mjs';

const FIXTURES = path.resolve(import.meta.dirname, '../../../server/sandbox/fixtures');
const SANDBOX_BASE = 'https://sandbox.pump-refill-coder.example/fhir';
/** The encounter an EHR user launched from (the sandbox's directory prefers it over the latest one). */
const LAUNCH_TAG = { system: 'urn:pump-refill-coder:sandbox', code: 'launch-encounter', display: 'Launch context: the encounter the EHR user opened the chart from' };
const READ_BY_ID = new Set(['Patient', 'Practitioner', 'Encounter', 'Medication', 'Binary', 'Organization', 'Location', 'Device']);

const byId = Object.fromEntries([...epicRecords, ...oracleRecords].map((r) => [r.id, r]));
const INSULIN_PUMP = { typeText: 'Insulin Pump', name: 'Insulin Pump', model: 'MiniMed Paradigm® 522/722', serial: 'PBR771204H' };

/** sandbox patient id → corpus record it is built from, and what changes for the sandbox. */
export const SANDBOX_PATIENTS = [
  { patientId: 'pt-epic-evening-medicare-ca', from: 'epic-evening-medicare-morphine' },
  { patientId: 'pt-epic-baclofen-uuhp-ut', from: 'epic-html-binary-baclofen-62370' },
  { patientId: 'pt-epic-stale-launch-wi', from: 'epic-stale-launch-encounter',
    spec: { launchTag: LAUNCH_TAG, visitEncounter: { start: '2026-11-20T15:30:00Z', end: '2026-11-20T16:15:00Z', typeText: 'Procedure Visit' } } },
  { patientId: 'pt-epic-shunt-valve-rn-or', from: 'epic-shunt-valve-rn-supervised' },
  { patientId: 'pt-epic-same-day-iv-tx', from: 'epic-same-day-iv-other-encounter' },
  { patientId: 'pt-oracle-evening-wellcare-ks', from: 'oracle-evening-compounded-wellcare' },
  { patientId: 'pt-oracle-text-only-icare-wi', from: 'oracle-text-only-procedure-icare' },
  { patientId: 'pt-oracle-selfpay-homestate-mo', from: 'oracle-contained-med-ml-dose-selfpay' },
  { patientId: 'pt-oracle-same-day-ed-baclofen-fl', from: 'oracle-same-day-ed-iv-baclofen',
    spec: (s) => ({ devices: [INSULIN_PUMP, ...s.devices] }) },
  { patientId: 'pt-oracle-stale-launch-wa', from: 'oracle-stale-launch-medicare-62367',
    spec: { launchTag: LAUNCH_TAG, visitEncounter: { start: '2026-11-20T17:00:00.000Z', end: '2026-11-20T17:30:00.000Z' } } },
];

function flatten(entries) {
  return entries.flatMap((e) => (e.resource.resourceType === 'Bundle' ? flatten(e.resource.entry ?? []) : [e.resource]));
}

export function sandboxBundle(p) {
  const record = byId[p.from];
  if (!record) throw new Error(`no corpus record ${p.from}`);
  const extra = typeof p.spec === 'function' ? p.spec(record.spec) : p.spec ?? {};
  const spec = { ...record.spec, ...extra, key: `sandbox-${p.patientId}`, nested: false };
  const resources = flatten(record.assemble(spec).entry).filter((r) => r.resourceType !== 'OperationOutcome');
  let json = JSON.stringify(resources);
  const patient = resources.find((r) => r.resourceType === 'Patient');
  json = json.split(patient.id).join(p.patientId);
  const out = JSON.parse(json);
  for (const r of out) {
    if (READ_BY_ID.has(r.resourceType) && r.id.length > 64) throw new Error(`${p.patientId}: ${r.resourceType} id longer than 64 characters`);
  }
  return { resourceType: 'Bundle', type: 'collection', entry: out.map((r) => ({ fullUrl: `${SANDBOX_BASE}/${r.resourceType}/${r.id}`, resource: r })) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const p of SANDBOX_PATIENTS) writeFileSync(path.join(FIXTURES, `${p.patientId}.json`), `${JSON.stringify(sandboxBundle(p), null, 2)}\n`);
  // Which corpus record (and so which coder's answer) each sandbox patient carries, and the mode to launch it in.
  const index = { about: 'Vendor-shaped sandbox patients → the corpus record they are built from (expected.json) and the sandbox mode to launch them in. Written by test/corpus/build/build-sandbox-fixtures.mjs.',
    patients: SANDBOX_PATIENTS.map((p) => ({ patientId: p.patientId, mode: byId[p.from].vendor, record: p.from })) };
  writeFileSync(path.resolve(import.meta.dirname, '../sandbox-patients.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(`wrote ${SANDBOX_PATIENTS.length} sandbox patients`);
}
