/**
 * Headers and CSP (security.md B3/B4/C-headers): every app route carries the required header set, the app's CSP
 * has no 'unsafe-inline'/'unsafe-eval', framing is limited to self + the configured EHR origins, /api answers are
 * never cached; the built pages have no inline <style>/<script> (so they need no 'unsafe-inline'), and only the
 * sandbox EHR's own server-rendered pages get a relaxed style-src.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ROOT, launchBrowser, newContext } from '../e2e/helpers';
import { startTestServer } from '../../server/testing';
import type { RunningServer } from '../../server/http/app';
import { assertBuilt, cspViolations, recordCsp } from './util';

let app: RunningServer;
let browser: Browser;
beforeAll(async () => { assertBuilt(); app = await startTestServer(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

const asset = () => `/assets/${readdirSync(path.join(ROOT, 'dist/assets')).find((f) => f.endsWith('.js'))}`;

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name!.toLowerCase(), values];
  }));
}

describe('security headers on every app route', () => {
  it('CSP without unsafe-inline/unsafe-eval, frame-ancestors self + EHR origins, no-referrer, nosniff; /api no-store', async () => {
    const ehrOrigins = new Set(((await (await fetch(`${app.url}/api/ehr-profiles`)).json()) as { profiles: { issuers: string[] }[] })
      .profiles.flatMap((p) => p.issuers.map((i) => new URL(i).origin)));
    const routes: [string, string, unknown?][] = [
      ['GET', '/'], ['GET', '/index.html'], ['GET', '/launch.html'], ['GET', '/admin'], ['GET', '/admin/mappings'], ['GET', asset()],
      ['GET', '/no-such-page'], ['GET', '/api/healthz'], ['GET', '/api/ehr-profiles'], ['GET', '/api/policies'],
      ['POST', '/api/evaluate', {}], ['POST', '/api/drafts', {}], ['POST', '/api/ledger/v/claim/reserve', {}],
      ['GET', '/api/admin/mappings'], ['GET', '/api/worklist'], ['GET', '/api/no-such-route'],
    ];
    const failures: string[] = [];
    for (const [method, route, body] of routes) {
      const res = await fetch(`${app.url}${route}`, {
        method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
      });
      await res.arrayBuffer();
      const h = res.headers;
      const csp = h.get('content-security-policy') ?? '';
      const d = directives(csp);
      const where = `${method} ${route} (${res.status})`;
      if (!csp) failures.push(`${where}: no CSP`);
      if (/unsafe-inline|unsafe-eval/.test(csp)) failures.push(`${where}: CSP has unsafe-*: ${csp}`);
      for (const name of ['default-src', 'script-src', 'style-src', 'object-src', 'base-uri', 'frame-ancestors']) {
        if (!d.has(name)) failures.push(`${where}: CSP lacks ${name}`);
      }
      const fa = d.get('frame-ancestors') ?? [];
      if (!fa.every((v) => v === "'self'" || ehrOrigins.has(v))) failures.push(`${where}: frame-ancestors ${fa.join(' ')}`);
      if (d.get('object-src')?.join(' ') !== "'none'") failures.push(`${where}: object-src not 'none'`);
      if (h.get('referrer-policy') !== 'no-referrer') failures.push(`${where}: referrer-policy ${h.get('referrer-policy')}`);
      if (h.get('x-content-type-options') !== 'nosniff') failures.push(`${where}: x-content-type-options ${h.get('x-content-type-options')}`);
      if (h.get('x-powered-by')) failures.push(`${where}: x-powered-by`);
      if (route.startsWith('/api/') && !/no-store/.test(h.get('cache-control') ?? '')) failures.push(`${where}: cache-control ${h.get('cache-control')}`);
    }
    console.log(`METRIC header-routes=${routes.length} header-failures=${failures.length}`);
    expect(failures).toEqual([]);
  });

  it('the built pages need no inline style or script, and render without CSP violations', async () => {
    for (const file of ['dist/client/index.html', 'dist/launch/launch.html']) {
      const htmlText = readFileSync(path.join(ROOT, file), 'utf8');
      expect(htmlText).not.toMatch(/<style[\s>]/i);
      expect(htmlText).not.toMatch(/\sstyle\s*=/i);
      expect(htmlText).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i); // every script is external
      expect(htmlText).not.toMatch(/\son[a-z]+\s*=/i);
    }
    const context = await newContext(browser);
    const page = await context.newPage();
    await recordCsp(page);
    for (const route of ['/admin', '/', '/launch.html?iss=https%3A%2F%2Fevil.example%2Ffhir&launch=x']) {
      await page.goto(`${app.url}${route}`);
      await page.waitForLoadState('networkidle');
      expect(await cspViolations(page), route).toEqual([]);
    }
    await context.close();
  });

  it('the sandbox EHR (a test EHR) keeps its own relaxed style-src, still without inline script', async () => {
    const res = await fetch(`${app.url}/sandbox/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const d = directives(csp);
    expect(d.get('style-src')).toContain("'unsafe-inline'");
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    const context = await newContext(browser);
    const page = await context.newPage();
    await recordCsp(page);
    await page.goto(`${app.url}/sandbox/`);
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });
});
