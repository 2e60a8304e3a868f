/**
 * `npm run bench`: the figures the team reports. Nothing here asserts a time; it measures and prints.
 *  - policy evaluations per second on one core
 *  - FHIR → facts extraction time per record (sandbox fixtures and the vendor-shaped corpus)
 *  - payer-mapping resolution time with 1,000 mappings
 *  - /api/evaluate latency p50/p99 at fixed request rates (autocannon, which sends each second's quota in a burst,
 *    and an evenly spaced sender) and the saturated throughput, against the compiled production server in its own
 *    process, the load generator in a fresh process of its own (see server-bench.ts, steady-load.ts, load-figures.ts)
 *  - launch-to-suggestions time and FHIR request count in Chromium (sandbox EHR launch)
 *  - client bundle sizes (gzip)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { benchEvaluations } from './evaluate-bench.js';
import { benchMappingResolution } from './mapping-bench.js';
import { benchExtraction } from './extract-bench.js';
import { benchBrowserLaunch, BENCH_LAUNCHES } from './browser-bench.js';
import { startProductionServer } from './server-bench.js';
import { loadFiguresFromOwnProcess } from './load-figures.js';

const root = path.resolve(import.meta.dirname, '../..');
const figures: Record<string, string | number> = {};
const print = (name: string, value: string | number) => { figures[name] = value; console.log(`${name.padEnd(44)} ${value}`); };

const evals = await benchEvaluations();
print('policy evaluations per second (one core)', Math.round(evals.evaluationsPerSecond));

const extraction = benchExtraction();
print(`FHIR extraction per record (ms, ${extraction.records} records)`, extraction.msPerRecord.toFixed(3));

const mapping = benchMappingResolution(1000);
print('mapping resolution, 1,000 mappings (µs)', mapping.microsecondsPerResolution.toFixed(1));
print('  … with reasons, as the preview (µs)', mapping.withReasonsMicroseconds.toFixed(1));

// the production start (compiled, plain node) in its own process; the load generator in another
const prod = await startProductionServer();
try {
  // the load generator runs in a process of its own (see load-figures.ts)
  const { load, steady } = await loadFiguresFromOwnProcess(prod.url);
  // the rate figure: requests sent evenly at 200 per second (steady-load.ts)
  print('/api/evaluate at 200 req/s: p50 / p99 (ms)', `${steady.p50} / ${steady.p99} (${steady.achieved} req/s sent evenly, ${steady.non2xx + steady.errors} non-2xx)`);
  // autocannon's overallRate sends each second's quota at the start of the second, 10 at a time (see steady-load.ts):
  // a burst test, printed as such
  for (const f of load.fixed) {
    print(`  … each second's ${f.rate} sent in one burst (autocannon): p50 / p99 (ms)`, `${f.p50} / ${f.p99} (${f.non2xx + f.errors} non-2xx)`);
  }
  print('/api/evaluate max throughput (req/s)', load.max.rps);
  print('  … its p50 / p99 (ms, 10 connections)', `${load.max.p50} / ${load.max.p99}`);
} finally {
  await prod.stop();
}

// the browser launch against the production start too (compiled server, sandbox on, its own process)
const app = await startProductionServer();
try {
  const browser = await benchBrowserLaunch(app.url, BENCH_LAUNCHES);
  print('launch-to-suggestions median (ms, Chromium)', `${Math.round(browser.medianMs)} (click event → lines drawn, browser clock; ${BENCH_LAUNCHES} launches)`);
  print('launch-to-suggestions max (ms, Chromium)', Math.round(browser.maxMs));
  print('  … as Playwright times it, median (ms)', `${browser.wallMedianMs} (adds its pre-click checks and the round trip to the page)`);
  print('FHIR requests per launch', browser.fhirRequests);
} finally {
  await app.stop();
}

const assets = path.join(root, 'dist/assets');
const gz = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(assets, f))).length, 0);
const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
const launchJs = js.filter((f) => f.startsWith('launch'));
const html = (f: string) => readFileSync(path.join(root, 'dist', f), 'utf8');
const referenced = (page: string) => js.filter((f) => html(page).includes(f));
print('launch page JS (gzip KB)', (gz(referenced('launch/launch.html')) / 1024).toFixed(1));
print('app initial JS (gzip KB)', (gz(referenced('client/index.html')) / 1024).toFixed(1));
print('all JS incl. lazy admin (gzip KB)', (gz(js) / 1024).toFixed(1));
print('JS files', `${js.length} (${launchJs.length} launch); total raw ${(js.reduce((s, f) => s + statSync(path.join(assets, f)).size, 0) / 1024).toFixed(0)} KB`);
