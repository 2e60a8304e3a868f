/** Ad-hoc: where the launch-to-suggestions time goes (request timeline relative to the click). */
import { launchBrowser, newContext, waitForLines, metricsOf } from '../e2e/helpers.js';
import { startTestServer } from '../../server/testing.js';
import { startProductionServer } from './server-bench.js';

// PROD=1: the compiled server in its own process (as `npm run bench` runs it); else the sources in this process
const server = process.env.PROD ? await startProductionServer() : await startTestServer();
const browser = await launchBrowser();
const runs = Number(process.env.RUNS ?? 3);
for (let i = 0; i < runs; i++) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/sandbox/`);
  const signIn = page.locator('[data-testid="sandbox-sign-in"]');
  if (await signIn.count()) await signIn.click();
  const btn = page.locator(`form:has(input[name="patient"][value="pt-uuhp-commercial"]):has(input[name="mode"][value="generic"]) button[type="submit"]`);
  await btn.waitFor();
  const log: string[] = [];
  let t0 = 0;
  const now = () => (Date.now() - t0).toString().padStart(5);
  page.on('request', (r) => { if (t0) log.push(`${now()} > ${r.method()} ${r.url().replace(server.url, '').slice(0, 110)}`); });
  page.on('requestfinished', (r) => { if (t0) log.push(`${now()} < ${r.url().replace(server.url, '').slice(0, 110)}`); });
  page.on('framenavigated', (f) => { if (t0) log.push(`${now()} NAV ${f.url().replace(server.url, '').slice(0, 110)}`); });
  page.on('domcontentloaded', () => { if (t0) log.push(`${now()} DCL`); });
  t0 = Date.now();
  await btn.click();
  await waitForLines(page);
  log.push(`${now()} LINES READY`);
  const m = await metricsOf(page);
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((e) => [e.name, performance.timeOrigin + e.startTime] as const));
  for (const [name, at] of marks) log.push(`${String(Math.round(at - t0)).padStart(5)} (browser clock) ${name}`);
  log.sort((a, b) => Number(a.slice(0, 5)) - Number(b.slice(0, 5)));
  const res = await page.evaluate(() => [
    ...performance.getEntriesByType('navigation').map((e) => { const n = e as PerformanceNavigationTiming; return `${n.startTime.toFixed(0).padStart(5)} NAVSTART dcl=${n.domContentLoadedEventEnd.toFixed(0)}`; }),
    ...performance.getEntriesByType('resource').map((e) => { const r = e as PerformanceResourceTiming; return `${r.startTime.toFixed(0).padStart(5)}-${r.responseEnd.toFixed(0).padStart(5)} ${r.name.replace(location.origin, '').slice(0, 90)}`; }),
    ...performance.getEntriesByType('mark').map((e) => `${e.startTime.toFixed(0).padStart(5)} MARK ${e.name}`),
    `${performance.now().toFixed(0)} NOW`, `timeOrigin ${performance.timeOrigin}`,
  ]);
  log.push('--- app page (browser clock from app navigation start):', ...res);
  console.log(`--- run ${i}: total ${Date.now() - t0} ms, fhir ${m.fhirRequests}, app script→lines ${m.launchToSuggestionsMs}, nav→lines ${m.navigationToSuggestionsMs}`);
  if (i === runs - 1 || process.env.ALL) console.log(log.join('\n'));
  await context.close();
}
await browser.close();
await ('stop' in server ? server.stop() : server.close());
