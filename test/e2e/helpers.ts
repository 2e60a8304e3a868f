/**
 * End-to-end helpers: the real server (startTestServer: app + sandbox EHR + PGlite in memory) on a free port,
 * Debian's Chromium through playwright-core, and a FHIR reader that uses the app's own launch token.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningApp { url: string; close(): Promise<void> }

export async function startApp(): Promise<RunningApp> {
  if (!existsSync(path.join(ROOT, 'dist/client/index.html')) || !existsSync(path.join(ROOT, 'dist/launch/launch.html'))) {
    throw new Error('dist/ is missing: run `npx vite build` before the end-to-end tests');
  }
  const { startTestServer } = await import('../../server/testing.js');
  return startTestServer();
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1024, height: 768 } });
}

/** On the sandbox home page, click Launch for a patient in a mode; resolves when the review has its lines. */
export async function launchFromSandbox(page: Page, appUrl: string, patientId: string, mode: 'generic' | 'epic' | 'oracle' = 'generic'): Promise<number> {
  await page.goto(`${appUrl}/sandbox/`);
  // the sandbox EHR shows its patient list only after signing in (once per browser context)
  const signIn = page.locator('[data-testid="sandbox-sign-in"]');
  if (await signIn.count()) await signIn.click(); // the Launch locator below waits for the signed-in page
  const started = Date.now();
  await page.locator(`form:has(input[name="patient"][value="${patientId}"]):has(input[name="mode"][value="${mode}"]) button[type="submit"]`).click();
  await waitForLines(page);
  return Date.now() - started;
}

export async function waitForLines(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="lines"][data-state="ready"]', { timeout: 30_000 });
}

export async function lineCodes(page: Page): Promise<string[]> {
  return page.locator('[data-testid="line"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code') ?? ''));
}

/** Waits until the lines settle (no evaluation in flight) and returns their codes. */
export async function settledCodes(page: Page): Promise<string[]> {
  await page.waitForTimeout(200); // the debounce (150 ms) must fire before "ready" means the new answer
  await waitForLines(page);
  return lineCodes(page);
}

export interface LaunchToken { accessToken: string; serverUrl: string; patient: string }

/** The launch's token, read from the tab's sessionStorage (only the test does this; the app never logs it). */
export async function tokenOf(page: Page): Promise<LaunchToken> {
  return page.evaluate(() => {
    const key = (history.state as { prcStateKey?: string } | null)?.prcStateKey;
    if (!key) throw new Error('no launch state key in history.state');
    const state = JSON.parse(sessionStorage.getItem(key) ?? 'null') as { serverUrl: string; tokenResponse: { access_token: string; patient: string } };
    return { accessToken: state.tokenResponse.access_token, serverUrl: state.serverUrl, patient: state.tokenResponse.patient };
  });
}

export async function fhirSearch<T = Record<string, unknown>>(token: LaunchToken, query: string): Promise<T[]> {
  const res = await fetch(`${token.serverUrl.replace(/\/$/, '')}/${query}`, { headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/fhir+json' } });
  if (!res.ok) throw new Error(`FHIR ${query} → ${res.status}: ${await res.text()}`);
  const bundle = (await res.json()) as { entry?: { resource: T }[] };
  return (bundle.entry ?? []).map((e) => e.resource);
}

export async function metricsOf(page: Page): Promise<{ fhirRequests: number; launchToSuggestionsMs?: number; navigationToSuggestionsMs?: number }> {
  return page.evaluate(() => (window as unknown as { __prcMetrics: { fhirRequests: number; launchToSuggestionsMs?: number; navigationToSuggestionsMs?: number } }).__prcMetrics);
}

export async function tickAllChecklist(page: Page): Promise<string[]> {
  const boxes = page.locator('[data-testid="checklist-item"] input[type="checkbox"]');
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).check();
  return page.locator('[data-testid="checklist-item"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-checklist-id') ?? ''));
}

export async function writeAndWait(page: Page): Promise<{ visitKey: string; doc: string; claim: string; text: string }> {
  const panel = page.locator('[data-testid="write-panel"]');
  const before = Number(await panel.getAttribute('data-attempt'));
  await page.click('[data-testid="write-button"]');
  await page.waitForFunction((prev) => Number(document.querySelector('[data-testid="write-panel"]')?.getAttribute('data-attempt')) > prev, before, { timeout: 30_000 });
  if ((await panel.getAttribute('data-status')) === 'error') throw new Error(`write failed: ${await page.locator('[data-testid="write-error"]').textContent()}`);
  const el = page.locator('[data-testid="write-result"]');
  return {
    visitKey: (await el.getAttribute('data-visit-key')) ?? '',
    doc: (await el.getAttribute('data-document-reference-id')) ?? '',
    claim: (await el.getAttribute('data-claim-id')) ?? '',
    text: (await el.textContent()) ?? '',
  };
}

export const decodeAttachmentText = (doc: { content?: { attachment?: { contentType?: string; data?: string } }[] }): string =>
  (doc.content ?? []).map((c) => (c.attachment?.data ? Buffer.from(c.attachment.data, 'base64').toString('utf8') : '')).join('\n');
