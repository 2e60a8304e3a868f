/**
 * One visit, one claim in a real browser (issue #9 item 6): write a visit, relaunch it (a new launch, a new tab),
 * see "Written … by …", press Update after a change, and find exactly one current note and one current Claim
 * version in the EHR (the earlier note superseded, the earlier Claim cancelled) and in the worklist (v2 current,
 * both versions kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Store } from '../../server/store/index';
import { fhirSearch, launchBrowser, launchFromSandbox, newContext, startApp, tickAllChecklist, tokenOf, writeAndWait, type RunningApp } from './helpers';

const SYSTEM = 'urn:pump-refill-coder:visit';
type Doc = { id: string; status?: string; identifier?: { system?: string; value?: string }[]; relatesTo?: { code?: string; target?: { reference?: string } }[] };
const ours = (visitKey: string) => (r: Doc) => r.identifier?.some((i) => i.system === SYSTEM && i.value?.startsWith(`${visitKey}.`));

let app: RunningApp & { store?: Store };
let browser: Browser;
beforeAll(async () => { app = await startApp(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

describe('relaunch → already written → Update', () => {
  it('keeps exactly one current note and one current Claim version', async () => {
    const patient = 'pt-medicare-ca';
    const first = await newContext(browser);
    const a = await first.newPage();
    await launchFromSandbox(a, app.url, patient);
    const v1 = await writeAndWait(a);
    expect(v1.doc).not.toBe('');
    await first.close();

    // a relaunch: another launch of the same visit opens on what was written
    const second = await newContext(browser);
    const b = await second.newPage();
    await launchFromSandbox(b, app.url, patient);
    const written = b.locator('[data-testid="already-written"]');
    await written.waitFor({ timeout: 30_000 });
    expect(await written.getAttribute('data-document-reference-id')).toBe(v1.doc);
    expect(await written.textContent()).toMatch(/Written .* at .* by .*DocumentReference/);
    expect(await b.textContent('[data-testid="write-button"]')).toMatch(/^Update/);
    expect(await b.textContent('[data-testid="update-plan"]')).toMatch(/replaces the earlier one/);

    // a change, then Update: version 2 supersedes version 1
    await tickAllChecklist(b);
    await b.waitForTimeout(300);
    const v2 = await writeAndWait(b);
    expect(await b.getAttribute('[data-testid="write-result"]', 'data-version')).toBe('2');
    expect(v2.visitKey).toBe(v1.visitKey);
    expect(v2.doc).not.toBe(v1.doc);
    expect(v2.text).toContain('replaces version 1');

    const token = await tokenOf(b);
    const docs = (await fhirSearch<Doc>(token, `DocumentReference?patient=${patient}&_count=100`)).filter(ours(v1.visitKey));
    const claims = (await fhirSearch<Doc>(token, `Claim?patient=${patient}&_count=100`)).filter(ours(v1.visitKey));
    expect(docs.filter((d) => d.status === 'current').map((d) => d.id)).toEqual([v2.doc]);
    expect(docs.find((d) => d.id === v1.doc)?.status).toBe('superseded');
    expect(docs.find((d) => d.id === v2.doc)?.relatesTo).toEqual([{ code: 'replaces', target: { reference: `DocumentReference/${v1.doc}` } }]);
    expect(claims.filter((c) => c.status === 'draft').map((c) => c.id)).toEqual([v2.claim]);
    expect(claims.find((c) => c.id === v1.claim)?.status).toBe('cancelled');

    // a second click after the update changes nothing
    const again = await writeAndWait(b);
    expect(again).toMatchObject({ doc: v2.doc, claim: v2.claim });

    // the worklist: one row, on version 2, both versions kept
    const item = await app.store!.worklist.get(v1.visitKey);
    expect(item).toMatchObject({ currentVersion: 2, versionCount: 2, ehrDocumentReferenceId: v2.doc });
    expect((await app.store!.visits.versions(v1.visitKey)).map((v) => [v.version, v.state])).toEqual([[2, 'written'], [1, 'superseded']]);
    await second.close();
  }, 180_000);
});
