/**
 * FHIR → facts extraction cost per record: every sandbox fixture and every corpus record (Epic, Oracle Health,
 * US Core, Synthea shapes) through extractVisit in a loop for about 2 s. Reports the mean per record. Asserts nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractVisit } from '../../server/fhir/extract.js';

const corpusDir = path.resolve(import.meta.dirname, '../corpus/records');
const fixtureDir = path.resolve(import.meta.dirname, '../../server/sandbox/fixtures');
const bundlesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown);

export function benchExtraction(durationMs = 2000): { msPerRecord: number; records: number } {
  const records = [...bundlesIn(fixtureDir), ...bundlesIn(corpusDir)];
  for (let i = 0; i < 20; i++) for (const r of records) extractVisit(r); // warm-up
  let done = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (const r of records) sink += extractVisit(r).facts.drugs.length;
    done += records.length;
    now = performance.now();
  }
  if (sink < 0) throw new Error('unreachable');
  return { msPerRecord: (now - start) / done, records: records.length };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(benchExtraction()));
