/** `npx tsx test/bench/launch-only.ts`: only the launch-to-suggestions figure of `npm run bench` (after `npm run build`). */
import { benchBrowserLaunch } from './browser-bench.js';
import { startTestServer } from '../../server/testing.js';

const server = await startTestServer();
try {
  const r = await benchBrowserLaunch(server.url, Number(process.env.RUNS ?? 5));
  console.log(`launch-to-suggestions median ${Math.round(r.medianMs)} ms, max ${Math.round(r.maxMs)} ms, FHIR requests ${r.fhirRequests}`);
} finally {
  await server.close();
}
