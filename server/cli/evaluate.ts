/**
 * `npm run evaluate -- <file.json>`: a FHIR Bundle or VisitFacts → { facts, determination } as JSON on stdout,
 * using the default payer mappings. Bad input → one line on stderr naming the problem, exit code 2.
 */
import { readFileSync } from 'node:fs';
import { defaultMappingsAsStored } from '../mappings/defaults.js';
import { determine, readVisit } from '../http/evaluation.js';
import { HttpError } from '../http/errors.js';

function fail(message: string): never {
  process.stderr.write(`evaluate: ${message.replace(/\s+/g, ' ').trim()}\n`);
  process.exit(2);
}

const file = process.argv[2];
if (!file) fail('usage: npm run evaluate -- <file.json>  (a FHIR R4 Bundle or VisitFacts)');

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  fail(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`}`);
}

const isBundle = typeof raw === 'object' && raw !== null && (raw as { resourceType?: unknown }).resourceType === 'Bundle';
try {
  const visit = readVisit(isBundle ? { bundle: raw } : { facts: raw });
  const { determination } = determine(visit.facts, defaultMappingsAsStored());
  process.stdout.write(JSON.stringify({ facts: visit.facts, determination }, null, 2) + '\n');
} catch (err) {
  if (err instanceof HttpError) {
    const details = Array.isArray(err.details) ? (err.details as { path?: string; message?: string }[]) : [];
    const first = details[0];
    fail(first?.path ? `${file}: ${first.path}: ${first.message}` : `${file}: ${err.message}`);
  }
  if (err && typeof err === 'object' && 'issues' in err) {
    const issue = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues[0];
    fail(`${file}: ${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'invalid input'}`);
  }
  fail(`${file}: ${(err as Error).message}`);
}
