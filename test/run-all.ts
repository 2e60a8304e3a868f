/**
 * `npm test`: typecheck, then every vitest suite (unit, API, repository on PGlite and PostgreSQL, end-to-end in
 * Chromium), then the totals as the plain line `N passed, N failed` that CI reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;

const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (typecheck.status === 0) { passed += 1; console.log('typecheck: ok'); } else { failed += 1; console.log('typecheck: FAILED'); }

const report = path.join(mkdtempSync(path.join(tmpdir(), 'prc-test-')), 'vitest.json');
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { stdio: 'inherit' });
try {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number;
    testResults: { status: string; name: string; message?: string; assertionResults: unknown[] }[];
  };
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  // a suite that fails to load (syntax error, missing module, failing beforeAll) has no test results but is a failure
  for (const suite of json.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0)) {
    console.log(`suite failed: ${path.relative(process.cwd(), suite.name)}: ${suite.message?.split('\n')[0] ?? ''}`);
    failed += 1;
  }
} catch {
  console.log(`vitest produced no report (exit ${vitest.status})`);
  failed += 1;
}
if (vitest.status !== 0 && failed === 0) failed += 1;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
