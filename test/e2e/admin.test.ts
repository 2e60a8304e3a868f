/**
 * The administrator's screens end to end in Debian's Chromium against the real server (sandbox EHR, PGlite in memory):
 * an administrator signs in through the EHR (SMART standalone launch, sandbox user picker), sends U of U Health
 * Plans' commercial members to CPT-only rules, and the clinician's next evaluation follows; a clinician is told
 * they are not an administrator; an edit that crossed someone else's is shown as a diff and reapplied on top.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, TEST_ADMIN_TOKEN } from '../../server/testing.js';
import { EvaluateResponse, PayerMapping } from '../../server/contracts/index.js';

const root = path.resolve(import.meta.dirname, '../..');
type FixtureBundle = { entry: { resource: { resourceType: string } }[] };
const fixture = (name: string) => JSON.parse(readFileSync(path.join(root, `server/sandbox/fixtures/${name}.json`), 'utf8')) as FixtureBundle;
const bundle = fixture('pt-uuhp-commercial');
const peachState = fixture('pt-centene-ga');

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;

beforeAll(async () => {
  // `npm test` builds first (pretest); a direct vitest run builds only when there is no build at all.
  if (!existsSync(path.join(root, 'dist/client/index.html'))) {
    const build = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'pipe' });
    if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr.toString().slice(-2000)}`);
  }
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser context at the size of an EHR frame. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  return context.newPage();
}

/** Sign in through the sandbox EHR's standalone launch, picking a sandbox user. */
async function signIn(page: Page, userId: string): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await page.getByTestId('admin-signin-button').click();
  await page.locator(`button[name="user"][value="${userId}"]`).click();
  await page.waitForURL((u) => u.pathname.startsWith('/admin') && !u.searchParams.has('code') && !u.searchParams.has('state'));
}

const evaluate = async (b: FixtureBundle = bundle) => {
  const res = await fetch(`${server.url}/api/evaluate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bundle: b }),
  });
  expect(res.status).toBe(200);
  return EvaluateResponse.parse(await res.json());
};

const adminApi = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/**
 * What axe's critical/serious rules would catch first on these pages, checked directly: every form control has
 * an accessible name, one main landmark and one h1, and every table header cell has text.
 */
async function expectNamedControlsAndLandmarks(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const named = (el: Element) => {
      const e = el as HTMLInputElement;
      if (e.labels && e.labels.length > 0 && [...e.labels].some((l) => l.textContent?.trim())) return true;
      if (el.getAttribute('aria-label')?.trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      return !!by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim());
    };
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) if (!named(el)) out.push(`unnamed ${el.outerHTML.slice(0, 120)}`);
    for (const el of document.querySelectorAll('button, a[href]')) if (!(el.textContent?.trim() || el.getAttribute('aria-label'))) out.push(`empty ${el.outerHTML.slice(0, 120)}`);
    if (document.querySelectorAll('main').length !== 1) out.push(`${document.querySelectorAll('main').length} main landmarks`);
    if (document.querySelectorAll('h1').length !== 1) out.push(`${document.querySelectorAll('h1').length} h1`);
    for (const th of document.querySelectorAll('th')) if (!th.textContent?.trim()) out.push('empty th');
    return out;
  });
  expect(problems).toEqual([]);
}

describe('admin screens in Chromium', () => {
  it('an administrator moves U of U commercial to CPT-only rules and the clinician\'s next evaluation follows', async () => {
    const before = await evaluate();
    expect(before.determination.policy.id).toBe('uuhp');
    expect(before.mapping.id).toBe('uuhp-commercial');

    const page = await newPage();
    await signIn(page, 'sandbox-admin');
    await expect.poll(() => page.getByTestId('mappings-page').isVisible()).toBe(true);
    // a person, not a FHIR URL
    expect(await page.getByTestId('admin-user').textContent()).toMatch(/^Signed in as (Practitioner sandbox-admin|Avery)/);
    expect(await page.getByTestId('admin-user').textContent()).not.toContain('http');
    // the list speaks billing: names, payers, policy titles; no UUIDs or seed file names
    await page.getByTestId('mappings-table').waitFor();
    expect(await page.getByTestId('mapping-name-uuhp-medicaid').textContent()).toBe('U of U Health Plans — Medicaid (Healthy U)');
    expect(await page.getByTestId('mappings-table').textContent()).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
    await expectNamedControlsAndLandmarks(page);
    // the id_token is kept for the tab only, never in localStorage
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);

    // search narrows the list to the U of U mappings
    await page.getByTestId('mappings-search').fill('uuhp-commercial');
    await expect.poll(() => page.locator('[data-testid^="mapping-row-"]').count()).toBe(1);

    await page.getByTestId('mapping-edit-uuhp-commercial').click();
    await page.getByTestId('mapping-form').waitFor();
    // client-side validation shows inline errors and keeps the admin on the form
    await page.getByTestId('mapping-field-priority').fill('lots');
    await page.getByTestId('mapping-save').click();
    expect(await page.getByTestId('mapping-field-priority-error').textContent()).toMatch(/whole number/);
    await page.getByTestId('mapping-field-priority').fill('200');
    await page.getByTestId('mapping-field-policyId').selectOption('cpt-default');
    await page.getByTestId('mapping-field-note').fill('Contract lapsed: CPT rules only until renewed');
    await page.getByTestId('mapping-save').click();
    await page.getByTestId('admin-flash').waitFor();
    expect(await page.getByTestId('admin-flash').textContent()).toMatch(/saved.*U of U Health Plans — Commercial/i);
    expect(await page.getByTestId('mapping-policy-uuhp-commercial').textContent()).toMatch(/cpt|CPT/);

    const after = await evaluate();
    expect(after.determination.policy.id).toBe('cpt-default');
    expect(after.mapping).toMatchObject({ id: 'uuhp-commercial', policyId: 'cpt-default' });

    // the preview says the same for this patient's Coverage
    await page.getByTestId('admin-tab-preview').click();
    // in words first: payer, plan, coverage type, state
    await page.getByTestId('preview-payer').fill('University of Utah Health Plans');
    await page.getByTestId('preview-type').selectOption('512');
    await page.getByTestId('preview-state').fill('UT');
    await page.getByTestId('preview-run').click();
    await page.getByTestId('preview-result').waitFor();
    expect(await page.getByTestId('preview-winner').textContent()).toContain('U of U Health Plans — Commercial');
    expect(await page.getByTestId('preview-policy').textContent()).toMatch(/CPT coding rules only/);
    await expectNamedControlsAndLandmarks(page);
    // then the EHR's own Coverage, pasted
    await page.getByTestId('preview-mode-json').check();
    const coverage = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'Coverage');
    const organizations = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Organization');
    await page.getByTestId('preview-coverage').fill(JSON.stringify(coverage));
    await page.getByTestId('preview-organizations').fill(JSON.stringify(organizations));
    await page.getByTestId('preview-state').fill('UT');
    await page.getByTestId('preview-run').click();
    await page.getByTestId('preview-result').waitFor();
    await expect.poll(async () => page.getByTestId('preview-winner').textContent()).toContain('U of U Health Plans — Commercial');
    expect(await page.getByTestId('preview-policy').textContent()).toMatch(/cpt/i);
    expect(await page.getByTestId('preview-lob').textContent()).toBe('Commercial');

    // the change is in the audit log, newest first, with its before/after on demand
    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const row = page.locator('tr[data-testid^="audit-row-"]', { hasText: "changed mapping 'U of U Health Plans — Commercial'" }).first();
    await row.waitFor();
    // in words, with the person's name, not the action code or a URL
    expect(await row.textContent()).toMatch(/(Practitioner sandbox-admin|Avery).*\(you\).*changed mapping 'U of U Health Plans — Commercial': policy U of U Health Plans.* → AMA CPT coding rules only/);
    expect(await row.textContent()).not.toMatch(/mapping\.update|https?:/);
    await row.locator('button').click();
    expect(await page.locator('tr[data-testid^="audit-diff-"]').first().textContent()).toMatch(/Policy.*uuhp.*cpt-default/);
    await expectNamedControlsAndLandmarks(page);

    // turning the mapping off from the list: U of U commercial falls to the next mapping or to CPT rules
    await page.getByTestId('admin-tab-mappings').click();
    await page.getByTestId('mapping-enabled-uuhp-commercial').click();
    await expect.poll(() => page.getByTestId('mapping-enabled-uuhp-commercial').getAttribute('aria-checked')).toBe('false');
    const disabled = await evaluate();
    expect(disabled.mapping.id).not.toBe('uuhp-commercial');

    // restore for the other tests
    await page.getByTestId('mapping-enabled-uuhp-commercial').click();
    await expect.poll(() => page.getByTestId('mapping-enabled-uuhp-commercial').getAttribute('aria-checked')).toBe('true');
    await page.context().close();
  }, 120_000);

  it('a clinician who opens the admin screens is told they are not an administrator', async () => {
    const page = await newPage();
    await signIn(page, 'sandbox-clinician');
    await page.getByTestId('mappings-error').waitFor();
    expect(await page.getByTestId('mappings-error').textContent())
      .toMatch(/^You are signed in as \S*Practitioner\/sandbox-clinician but are not an administrator \(ADMIN_USERS\)$/);
    await page.context().close();
  }, 60_000);

  it('an edit that crossed someone else\'s shows what changed meanwhile and is reapplied on top', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('admin-token-input').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('admin-token-submit').click();
    await page.getByTestId('mapping-edit-uuhp-medicaid').click();
    await page.getByTestId('mapping-form').waitFor();
    await page.getByTestId('mapping-field-note').fill('Checked with the Healthy U billing desk');

    // meanwhile, automation raises the priority
    const current = PayerMapping.parse(await (await adminApi('GET', '/api/admin/mappings/uuhp-medicaid')).json());
    const { id: _id, version, ...input } = current;
    const put = await adminApi('PUT', '/api/admin/mappings/uuhp-medicaid', { ...input, priority: 260 }, { 'if-match': `"${version}"` });
    expect(put.status).toBe(200);

    await page.getByTestId('mapping-save').click();
    await page.getByTestId('stale-panel').waitFor();
    expect(await page.getByTestId('stale-diff-row-priority').textContent()).toMatch(/250.*260.*changed meanwhile/);
    expect(await page.getByTestId('stale-diff-row-note').textContent()).toMatch(/Checked with the Healthy U billing desk.*your change/);
    await page.getByTestId('stale-reapply').click();
    expect(await page.getByTestId('mapping-field-priority').inputValue()).toBe('260');
    await page.getByTestId('mapping-save').click();
    await page.getByTestId('admin-flash').waitFor();

    const saved = PayerMapping.parse(await (await adminApi('GET', '/api/admin/mappings/uuhp-medicaid')).json());
    expect(saved).toMatchObject({ priority: 260, note: 'Checked with the Healthy U billing desk', version: version + 2 });
    await page.context().close();
  }, 60_000);

  it('a mapping that would tie asks first; once saved, the Georgia Peach State visit gets CPT-only rules and says why', async () => {
    const before = await evaluate(peachState);
    expect(before.determination.policy.id).toBe('centene-cp-mp-173');
    expect(before.recordNotices ?? []).toEqual([]);

    const page = await newPage();
    await page.goto(`${server.url}/admin/mappings/new`);
    await page.getByTestId('admin-token-input').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('admin-token-submit').click();
    await page.getByTestId('mapping-form').waitFor();
    await expectNamedControlsAndLandmarks(page);
    await page.getByTestId('mapping-field-name').fill('Georgia Medicaid (test)');
    await page.getByTestId('mapping-field-priority').fill('220');
    await page.getByTestId('mapping-field-coverageType').fill('2');
    await page.getByTestId('mapping-field-states').fill('GA');
    await page.getByTestId('mapping-field-policyId').selectOption('uuhp');
    await page.getByTestId('mapping-field-lineOfBusiness').selectOption('medicaid');
    await page.getByTestId('mapping-save').click();
    // not saved yet: the screen names the mappings it would tie with and asks
    await page.getByTestId('tie-panel').waitFor();
    expect(await page.getByTestId('tie-list').textContent()).toContain('Peach State Health Plan (Centene) — Medicaid');
    const listed = (await (await adminApi('GET', '/api/admin/mappings')).json()) as { mappings: PayerMapping[] };
    expect(listed.mappings.some((m) => m.name === 'Georgia Medicaid (test)')).toBe(false);
    await page.getByTestId('tie-confirm').click();
    await page.getByTestId('admin-flash').waitFor();
    await page.getByTestId('mappings-table').waitFor();
    expect(await page.getByTestId('mappings-ties').textContent()).toMatch(/tie/);

    // the clinician's next evaluation: CPT-only rules and the problem at the top, never the U of U policy
    const after = await evaluate(peachState);
    expect(after.determination.policy.id).toBe('cpt-default');
    expect(after.determination.warnings[0]).toMatchObject({ id: 'payer-mapping-tie', severity: 'error' });
    // the two tied mappings are named in priority-then-id order (ids are random UUIDs: either may come first)
    const tieMessage = after.recordNotices?.[0]?.message ?? '';
    expect(tieMessage).toMatch(/^Two payer mappings disagree; an administrator must choose\. '/);
    expect(tieMessage).toContain("'Georgia Medicaid (test)'");
    expect(tieMessage).toContain("'Peach State Health Plan (Centene) — Medicaid'");

    // the filters find it: the U of U policy in Georgia (with the U of U mappings that name no state), then by search
    await page.getByTestId('mappings-filter-state').selectOption('GA');
    await page.getByTestId('mappings-filter-policy').selectOption('uuhp');
    await expect.poll(() => page.getByTestId('mappings-count').textContent()).toMatch(/^\d+ of \d+ mappings shown$/);
    expect(await page.locator('[data-testid^="mapping-row-"]').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Georgia Medicaid (test)')]));
    for (const t of await page.locator('[data-testid^="mapping-policy-"]').allTextContents()) expect(t).toMatch(/^U of U Health Plans/);
    await page.getByTestId('mappings-search').fill('georgia');
    await expect.poll(() => page.locator('[data-testid^="mapping-row-"]').count()).toBe(1);
    const row = page.locator('[data-testid^="mapping-row-"]').first();
    expect(await row.textContent()).toMatch(/Georgia Medicaid \(test\).*Ties with/);

    // clean up through the API, then the visit is Centene's again
    const mine = listed.mappings.length === 0 ? undefined : ((await (await adminApi('GET', '/api/admin/mappings')).json()) as { mappings: PayerMapping[] })
      .mappings.find((m) => m.name === 'Georgia Medicaid (test)');
    expect(mine).toBeDefined();
    expect((await adminApi('DELETE', `/api/admin/mappings/${mine!.id}`, undefined, { 'if-match': `"${mine!.version}"` })).status).toBe(204);
    expect((await evaluate(peachState)).determination.policy.id).toBe('centene-cp-mp-173');
    await page.context().close();
  }, 90_000);

  it('exports the mappings, refuses a file with a bad row (naming row and field), and imports a good one', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/admin/import-export`);
    await page.getByTestId('admin-token-input').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('admin-token-submit').click();
    await page.getByTestId('import-export-page').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { mappings: PayerMapping[] };
    expect(exported.mappings.length).toBeGreaterThan(5);
    const dir = mkdtempSync(path.join(tmpdir(), 'prc-admin-e2e-'));

    const bad = { mappings: exported.mappings.map((m, i) => (i === 1 ? { ...m, policyId: 'aetna-2019' } : m)) };
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'bad.json'));
    await page.getByTestId('import-problems').waitFor();
    // in words, naming the mapping and the field, never zod's text
    expect(await page.getByTestId('import-problems').textContent()).toMatch(/Mapping 2 \(.+\): policy 'aetna-2019' is not one of: U of U Health Plans \(uuhp\)/);
    expect(await page.getByTestId('import-problems').textContent()).not.toMatch(/Invalid option|expected one of/);
    await expectNamedControlsAndLandmarks(page);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);

    const target = exported.mappings.find((m) => m.id === 'icare-ma') ?? exported.mappings[0]!;
    const good = { mappings: exported.mappings.map((m) => (m.id === target.id ? { ...m, note: 'Imported from the billing office' } : m)) };
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify(good));
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'good.json'));
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-changed').textContent()).toContain(target.name ?? target.id);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-result').waitFor();

    const after = PayerMapping.parse(await (await adminApi('GET', `/api/admin/mappings/${target.id}`)).json());
    expect(after.note).toBe('Imported from the billing office');

    // the worklist tab answers for an administrator
    await page.getByTestId('admin-tab-worklist').click();
    await page.getByTestId('worklist-table').waitFor();
    await page.context().close();
  }, 60_000);
});
