/** `npx tsx test/bench/launch-only.ts`: only the launch-to-suggestions figure of `npm run bench` (after `npm run build`), against the same production start. */
import { benchBrowserLaunch, BENCH_LAUNCHES } from './browser-bench.js';
import { startProductionServer } from './server-bench.js';

const server = await startProductionServer();
try {
  const r = await benchBrowserLaunch(server.url, Number(process.env.RUNS ?? BENCH_LAUNCHES));
  console.log(`launch-to-suggestions median ${Math.round(r.medianMs)} ms, max ${Math.round(r.maxMs)} ms, FHIR requests ${r.fhirRequests}`);
} finally {
  await server.stop();
}
