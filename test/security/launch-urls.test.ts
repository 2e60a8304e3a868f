/**
 * Launch-URL attacks (security.md A5/A6), the variants test/e2e/isolation.test.ts does not already cover
 * (that file covers a foreign iss and the fhirServiceUrl/clientId/patientId overrides one by one): each crafted
 * link gets the launch page's error, and the browser sends nothing to any other origin and never leaves the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext } from '../e2e/helpers';
import { startTestServer } from '../../server/testing';
import type { RunningServer } from '../../server/http/app';
import { assertBuilt, foreignRequests } from './util';

let app: RunningServer;
let browser: Browser;
beforeAll(async () => { assertBuilt(); app = await startTestServer(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

describe('crafted launch URLs', () => {
  it('refuses every variant with 0 foreign requests and 0 navigations away', async () => {
    const iss = `${app.url}/sandbox/fhir`;
    const host = new URL(app.url).host;
    const q = (params: [string, string][]) => params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const variants: string[] = [
      q([['iss', `${app.url}/sandbox/fhir/`], ['launch', 'x']]), // trailing slash
      q([['iss', `${app.url}/sandbox/fhirx`], ['launch', 'x']]), // prefix match
      q([['iss', `${app.url}/sandbox/epic`], ['launch', 'x']]), // same origin, other path
      q([['iss', `${app.url}/api/admin`], ['launch', 'x']]),
      q([['iss', `${iss}?x=1`], ['launch', 'x']]), // with a query
      q([['iss', `${iss}#frag`], ['launch', 'x']]),
      q([['iss', `${iss.toUpperCase()}`], ['launch', 'x']]),
      q([['iss', iss.replace('http:', 'https:')], ['launch', 'x']]), // other scheme
      q([['iss', iss.replace('localhost', '127.0.0.1')], ['launch', 'x']]), // other host name, same machine
      q([['iss', `http://${host}@evil.example/sandbox/fhir`], ['launch', 'x']]), // userinfo trick
      q([['iss', `//evil.example/sandbox/fhir`], ['launch', 'x']]), // protocol-relative
      q([['iss', 'javascript:window.__pwn=1//'], ['launch', 'x']]),
      q([['iss', 'data:text/html,<script>window.__pwn=1</script>'], ['launch', 'x']]),
      q([['iss', `https://evil.example/fhir`], ['iss', iss], ['launch', 'x']]), // duplicate iss (foreign first)
      q([['iss', iss], ['iss', `https://evil.example/fhir`], ['launch', 'x']]), // duplicate iss (configured first)
      q([['iss', iss], ['launch', 'x'], ['fhirServiceUrl', 'https://evil.example/fhir'], ['clientId', 'attacker'], ['patientId', 'pt-medicare-ca']]),
      q([['iss', iss], ['launch', 'x'], ['FHIRSERVICEURL', 'https://evil.example/fhir']]), // case variant
      q([['iss', iss], ['launch', 'x'], ['redirect_uri', 'https://evil.example/']]),
      q([['iss', iss], ['launch', 'x'], ['scope', 'user/*.cruds']]),
      q([['iss', iss]]), // no launch
      q([['fhirServiceUrl', iss]]), // standalone-style override
      q([['launch', 'x']]), // no iss
    ];
    const context = await newContext(browser);
    const page = await context.newPage();
    const foreign = foreignRequests(page, new URL(app.url).origin);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
    const wrong: string[] = [];
    for (const v of variants) {
      const launchUrl = `${app.url}/launch.html?${v}`;
      navigations.length = 0;
      await page.goto(launchUrl);
      const shown = await page.waitForSelector('[data-testid="launch-error"]', { timeout: 5_000 }).then(() => true, () => false);
      await page.waitForTimeout(150);
      if (!shown) wrong.push(`${v}: no launch error shown`);
      if (page.url() !== launchUrl || navigations.some((n) => n !== launchUrl)) wrong.push(`${v}: navigated to ${navigations.join(', ')}`);
      if (await page.evaluate(() => (window as unknown as { __pwn?: number }).__pwn !== undefined)) wrong.push(`${v}: script ran`);
    }
    console.log(`METRIC launch-url-variants=${variants.length} foreign-requests=${foreign.length} wrong=${wrong.length}`);
    expect(wrong).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  }, 60_000);
});
