/**
 * Helpers for the security checks: the real server (startTestServer) with its log captured, Chromium, and a
 * writer that puts content into the sandbox EHR through its FHIR API with a write-scoped token.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { startTestServer } from '../../server/testing';
import type { RunningServer } from '../../server/http/app';
import { getSandboxToken, SANDBOX_WRITER_CLIENT_ID, type SandboxToken } from '../../server/sandbox/testing';
import { ROOT } from '../e2e/helpers';

export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, 'dist/client/index.html')) || !existsSync(path.join(ROOT, 'dist/launch/launch.html'))) {
    throw new Error('dist/ is missing: run `npx vite build` before the security tests');
  }
}

export interface LoggedServer extends RunningServer { logText(): string }

/** The full app at LOG_LEVEL (default info) with every log line kept in memory. */
export async function startLoggedServer(env: Record<string, string> = {}): Promise<LoggedServer> {
  assertBuilt();
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { chunks.push(Buffer.from(chunk)); cb(); } });
  const server = await startTestServer({ LOG_LEVEL: 'info', ...env }, { logDestination: sink });
  return { ...server, logText: () => Buffer.concat(chunks).toString('utf8') };
}

/** A token for an existing sandbox patient that may also write (to plant hostile content). */
export function writerToken(url: string, patientId: string): Promise<SandboxToken> {
  return getSandboxToken(url, { patientId, scopes: 'launch openid fhirUser patient/*.cruds user/*.cruds', clientId: SANDBOX_WRITER_CLIENT_ID });
}

export async function fhir<T = Record<string, unknown>>(t: SandboxToken, method: string, rel: string, body?: unknown): Promise<T> {
  const res = await fetch(`${t.fhirBase}/${rel}`, {
    method,
    headers: { authorization: `Bearer ${t.access_token}`, accept: 'application/fhir+json', ...(body ? { 'content-type': 'application/fhir+json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${rel} → ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Every request the page makes that leaves `origin` (data: and blob: URLs are local). */
export function foreignRequests(page: Page, origin: string): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    try { if (new URL(u).origin !== origin) seen.push(u); } catch { seen.push(u); }
  });
  return seen;
}

/** Installs a recorder of CSP violations (read with cspViolations). */
export async function recordCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => { w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`); });
  });
}
export const cspViolations = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
