#!/usr/bin/env node
/**
 * Writes the corpus: test/corpus/records/<id>.json (one FHIR R4 Bundle per record), test/corpus/expected.json (what a
 * careful coder derives from each record: key facts, the policy module, the lines with units and modifiers) and the
 * record table in test/corpus/README.md (between the markers). The records are data: they are committed, and the
 * corpus test reads them, never this script. Run: node test/corpus/build/build-corpus.mjs
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { epicRecords } from './records-epic.mjs';
import { oracleRecords } from './records-oracle.mjs';
import { otherRecords } from './records-other.mjs';

const root = path.resolve(import.meta.dirname, '..');
const records = [...epicRecords, ...oracleRecords, ...otherRecords];
const ids = new Set();
for (const r of records) {
  if (ids.has(r.id)) throw new Error(`duplicate record id ${r.id}`);
  ids.add(r.id);
}

rmSync(path.join(root, 'records'), { recursive: true, force: true });
mkdirSync(path.join(root, 'records'), { recursive: true });
for (const r of records) writeFileSync(path.join(root, "records", `${r.id}.json`), `${JSON.stringify(r.assemble(r.spec), null, 2)}\n`);

const index = {
  about: 'What a careful coder bills for each corpus record (facts, policy module, lines). Written by test/corpus/build/build-corpus.mjs; read by test/corpus/corpus.test.ts.',
  records: records.map((r) => ({
    id: r.id, file: `records/${r.id}.json`, vendor: r.vendor, shapes: r.shapes, sources: r.sources,
    expected: { ...r.expected, lines: r.expected.lines.map((l) => ({ code: l.code, units: l.units, modifiers: l.modifiers ?? [] })) },
  })),
};
writeFileSync(path.join(root, 'expected.json'), `${JSON.stringify(index, null, 2)}\n`);

const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const rows = records.map((r) => `| \`${r.id}\` | ${r.vendor} | ${esc(r.shapes.join('; '))} | ${esc(r.sources.join('; '))} | ${r.expected.lines.map((l) => `${l.code}×${l.units}${l.modifiers?.length ? ` ${l.modifiers.join(',')}` : ''}`).join(', ')} (\`${r.expected.policyId}\`) — ${esc(r.expected.why)} |`);
const table = ['| record | shape | shapes used | public source of the shapes | a coder bills (policy) — why |', '|---|---|---|---|---|', ...rows].join('\n');
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- records:start -->';
const end = '<!-- records:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end);
if (a < 0 || b < a) throw new Error('README.md lacks the records markers');
writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`);
console.log(`wrote ${records.length} records`);
