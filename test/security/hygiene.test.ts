/**
 * Token and PHI hygiene canary (security.md A8/A9/C11): a full browser launch, review and write-back with the
 * server logging at info; then no token, authorization code or PHI appears in the server log or the browser
 * console, and nothing of them is left in localStorage, cookies or the page URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, launchFromSandbox, newContext, tickAllChecklist, writeAndWait } from '../e2e/helpers';
import { startLoggedServer, type LoggedServer } from './util';

let app: LoggedServer;
let browser: Browser;
beforeAll(async () => { app = await startLoggedServer(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

const PATIENT = { id: 'pt-uuhp-commercial', family: 'Sandoval', given: 'Marisol', birthDate: '1968-04-12' };

describe('token and PHI hygiene', () => {
  it('leaves no token, code or PHI in logs, console, localStorage, cookies or the URL', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const codes = new Set<string>();
    const consoleText: string[] = [];
    page.on('console', (m) => consoleText.push(m.text()));
    page.on('request', (r) => {
      const c = new URL(r.url()).searchParams.get('code');
      if (c) codes.add(c);
      const body = r.postData();
      const fromBody = body ? new URLSearchParams(body).get('code') : null;
      if (fromBody && r.url().includes('/auth/token')) codes.add(fromBody);
    });

    await launchFromSandbox(page, app.url, PATIENT.id);
    await tickAllChecklist(page);
    const written = await writeAndWait(page);
    expect(written.doc).not.toBe('');

    const tokens = await page.evaluate(() => {
      const key = (history.state as { prcStateKey?: string } | null)?.prcStateKey ?? '';
      const s = JSON.parse(sessionStorage.getItem(key) ?? 'null') as { tokenResponse: Record<string, unknown> };
      return { access: String(s.tokenResponse.access_token ?? ''), refresh: String(s.tokenResponse.refresh_token ?? ''), id: String(s.tokenResponse.id_token ?? '') };
    });
    expect(tokens.access.length).toBeGreaterThan(10);
    expect(tokens.id.length).toBeGreaterThan(10);
    expect(codes.size).toBeGreaterThan(0);

    // the secrets and PHI to look for; JWTs are also searched by their signature part alone
    const canaries: Record<string, string> = {
      access_token: tokens.access, id_token: tokens.id, 'id_token signature': tokens.id.split('.')[2] ?? tokens.id,
      family: PATIENT.family, given: PATIENT.given, birthDate: PATIENT.birthDate,
    };
    if (tokens.refresh) canaries.refresh_token = tokens.refresh;
    [...codes].forEach((c, i) => { canaries[`code ${i}`] = c; });
    if (tokens.access.split('.').length === 3) canaries['access_token signature'] = tokens.access.split('.')[2]!;

    const log = app.logText();
    const logLines = log.split('\n').filter(Boolean);
    expect(logLines.length).toBeGreaterThan(20); // the log did record the flow (info level)
    const browserSide = await page.evaluate(() => ({
      local: Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'),
      cookie: document.cookie,
      url: location.href,
    }));
    const cookies = await context.cookies();

    const hits: string[] = [];
    for (const [name, value] of Object.entries(canaries)) {
      if (log.includes(value)) hits.push(`server log: ${name}`);
      if (consoleText.some((t) => t.includes(value))) hits.push(`console: ${name}`);
      if (browserSide.local.includes(value)) hits.push(`localStorage: ${name}`);
      if (browserSide.url.includes(value)) hits.push(`url: ${name}`);
    }
    const url = new URL(browserSide.url);
    for (const p of ['code', 'state', 'access_token', 'token', 'id_token']) if (url.searchParams.has(p) || url.hash.includes(`${p}=`)) hits.push(`url param: ${p}`);
    if (browserSide.cookie !== '') hits.push('document.cookie not empty');
    // the sandbox EHR's own sign-in session (HttpOnly, SameSite=Strict, path /sandbox) belongs to the EHR, not the app
    const appCookies = cookies.filter((c) => !(c.name === 'prc_sandbox_session' && c.path === '/sandbox' && c.httpOnly && c.sameSite === 'Strict'));
    if (appCookies.length > 0) hits.push(`cookies: ${appCookies.map((c) => c.name).join(',')}`);

    console.log(`METRIC hygiene-canary-hits=${hits.length} canaries=${Object.keys(canaries).length} log-bytes=${Buffer.byteLength(log)} log-lines=${logLines.length} console-lines=${consoleText.length}`);
    expect(hits).toEqual([]);
    await context.close();
  }, 60_000);
});
