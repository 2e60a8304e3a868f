/**
 * `npm run bench`: the figures the team reports. Nothing here asserts a time; it measures and prints.
 *  - policy evaluations per second on one core
 *  - payer-mapping resolution time with 1,000 mappings
 *  - /api/evaluate latency p50/p99 at a fixed request rate on loopback (autocannon)
 *  - launch-to-suggestions time and FHIR request count in Chromium (sandbox EHR launch)
 *  - client bundle sizes (gzip)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchEvaluations } from './evaluate-bench.js';
import { benchMappingResolution } from './mapping-bench.js';
import { benchBrowserLaunch } from './browser-bench.js';
import { startTestServer } from '../../server/testing.js';

const root = path.resolve(import.meta.dirname, '../..');
const figures: Record<string, string | number> = {};
const print = (name: string, value: string | number) => { figures[name] = value; console.log(`${name.padEnd(44)} ${value}`); };

const evals = await benchEvaluations();
print('policy evaluations per second (one core)', Math.round(evals.evaluationsPerSecond));

const mapping = benchMappingResolution(1000);
print('mapping resolution, 1,000 mappings (µs)', mapping.microsecondsPerResolution.toFixed(1));
print('  … with reasons, as the preview (µs)', mapping.withReasonsMicroseconds.toFixed(1));

const server = await startTestServer();
try {
  const fixture = readFileSync(path.join(root, 'server/sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8');
  const body = JSON.stringify({ bundle: JSON.parse(fixture) });
  // warm-up: JIT, PGlite caches and the mapping source, so the first measured rate is not the cold start
  await autocannon({ url: `${server.url}/api/evaluate`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 4, duration: 3 });
  for (const rate of [50, 200]) {
    const result = await autocannon({
      url: `${server.url}/api/evaluate`, method: 'POST', headers: { 'content-type': 'application/json' },
      body, connections: 10, overallRate: rate, duration: 10,
    });
    print(`/api/evaluate at ${rate} req/s: p50 / p99 (ms)`, `${result.latency.p50} / ${result.latency.p99}`);
    print(`/api/evaluate at ${rate} req/s: non-2xx`, result.non2xx);
  }
  const max = await autocannon({
    url: `${server.url}/api/evaluate`, method: 'POST', headers: { 'content-type': 'application/json' },
    body, connections: 10, duration: 5,
  });
  print('/api/evaluate max throughput (req/s)', Math.round(max.requests.average));

  const browser = await benchBrowserLaunch(server.url, 5);
  print('launch-to-suggestions median (ms, Chromium)', Math.round(browser.medianMs));
  print('launch-to-suggestions max (ms, Chromium)', Math.round(browser.maxMs));
  print('FHIR requests per launch', browser.fhirRequests);
} finally {
  await server.close();
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
