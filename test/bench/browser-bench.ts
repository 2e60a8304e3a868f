/**
 * Launch-to-suggestions in Debian's Chromium: from the click on "Launch" in the sandbox EHR (launch page, SMART
 * authorize, token, the app's parallel FHIR reads, /api/evaluate) to the suggested lines on screen.
 */
import { launchBrowser, launchFromSandbox, metricsOf, newContext } from '../e2e/helpers.js';

export async function benchBrowserLaunch(appUrl: string, runs: number): Promise<{ medianMs: number; maxMs: number; fhirRequests: number }> {
  const browser = await launchBrowser();
  try {
    const times: number[] = [];
    let fhirRequests = 0;
    for (let i = 0; i < runs + 1; i++) {
      const context = await newContext(browser);
      const page = await context.newPage();
      const ms = await launchFromSandbox(page, appUrl, 'pt-uuhp-commercial');
      fhirRequests = (await metricsOf(page)).fhirRequests;
      if (i > 0) times.push(ms); // the first run warms the server's caches and Chromium
      await context.close();
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[Math.floor(times.length / 2)] ?? NaN, maxMs: times[times.length - 1] ?? NaN, fhirRequests };
  } finally {
    await browser.close();
  }
}
