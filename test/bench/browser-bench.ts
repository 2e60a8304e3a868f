/**
 * Launch-to-suggestions in Debian's Chromium: from the clinician's click on "Launch" in the sandbox EHR (launch
 * page, SMART authorize, token, the app's parallel FHIR reads, /api/evaluate) to the suggested lines drawn.
 *
 * Two clocks. `clickToLinesMs` is the browser's own: the click event's time (performance.timeOrigin + timeStamp on
 * the EHR page) to the app's `prc:lines` mark (the frame the lines were committed in), both epoch milliseconds of
 * one machine. `wallMs` is Playwright's, from before its click() to its waitForSelector() seeing the lines: it adds
 * Playwright's actionability checks before the click (~50–120 ms here) and its polling after the lines appear.
 */
import type { Page } from 'playwright-core';
import { launchBrowser, metricsOf, newContext, waitForLines } from '../e2e/helpers.js';

export interface LaunchTiming { clickToLinesMs: number; wallMs: number }

export async function timedSandboxLaunch(page: Page, appUrl: string, patientId: string): Promise<LaunchTiming> {
  let clickedAt: number | undefined;
  await page.exposeFunction('__prcBenchClicked', (at: number) => { clickedAt = at; });
  await page.goto(`${appUrl}/sandbox/`);
  const signIn = page.locator('[data-testid="sandbox-sign-in"]');
  if (await signIn.count()) await signIn.click();
  const button = page.locator(`form:has(input[name="patient"][value="${patientId}"]):has(input[name="mode"][value="generic"]) button[type="submit"]`);
  await button.waitFor();
  await page.evaluate(() => document.addEventListener('click', (e) => {
    void (window as unknown as { __prcBenchClicked(at: number): Promise<void> }).__prcBenchClicked(performance.timeOrigin + e.timeStamp);
  }, { capture: true, once: true }));
  const started = Date.now();
  await button.click();
  await waitForLines(page);
  const wallMs = Date.now() - started;
  const linesAt = await page.evaluate(() => {
    const m = performance.getEntriesByName('prc:lines', 'mark')[0];
    return m ? performance.timeOrigin + m.startTime : undefined;
  });
  if (clickedAt === undefined || linesAt === undefined) throw new Error('the click or the prc:lines mark was not recorded');
  return { clickToLinesMs: linesAt - clickedAt, wallMs };
}

export async function benchBrowserLaunch(appUrl: string, runs: number): Promise<{ medianMs: number; maxMs: number; wallMedianMs: number; fhirRequests: number }> {
  const browser = await launchBrowser();
  try {
    const times: LaunchTiming[] = [];
    let fhirRequests = 0;
    for (let i = 0; i < runs + 1; i++) {
      const context = await newContext(browser);
      const page = await context.newPage();
      const t = await timedSandboxLaunch(page, appUrl, 'pt-uuhp-commercial');
      fhirRequests = (await metricsOf(page)).fhirRequests;
      if (i > 0) times.push(t); // the first run warms the server's caches and Chromium
      await context.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const click = times.map((t) => t.clickToLinesMs);
    return { medianMs: median(click), maxMs: Math.max(...click), wallMedianMs: median(times.map((t) => t.wallMs)), fhirRequests };
  } finally {
    await browser.close();
  }
}
