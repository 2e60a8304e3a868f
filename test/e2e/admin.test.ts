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
const bundle = JSON.parse(readFileSync(path.join(root, 'server/sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8')) as {
  entry: { resource: { resourceType: string } }[];
};

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

const evaluate = async () => {
  const res = await fetch(`${server.url}/api/evaluate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bundle }),
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

describe('admin screens in Chromium', () => {
  it('an administrator moves U of U commercial to CPT-only rules and the clinician\'s next evaluation follows', async () => {
    const before = await evaluate();
    expect(before.determination.policy.id).toBe('uuhp');
    expect(before.mapping.id).toBe('uuhp-commercial');

    const page = await newPage();
    await signIn(page, 'sandbox-admin');
    await expect.poll(() => page.getByTestId('mappings-page').isVisible()).toBe(true);
    expect(await page.getByTestId('admin-user').textContent()).toMatch(/sandbox-admin|Avery/);
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
    expect(await page.getByTestId('admin-flash').textContent()).toMatch(/saved.*uuhp-commercial/i);
    expect(await page.getByTestId('mapping-policy-uuhp-commercial').textContent()).toMatch(/cpt|CPT/);

    const after = await evaluate();
    expect(after.determination.policy.id).toBe('cpt-default');
    expect(after.mapping).toMatchObject({ id: 'uuhp-commercial', policyId: 'cpt-default' });

    // the preview says the same for this patient's Coverage
    await page.getByTestId('admin-tab-preview').click();
    const coverage = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'Coverage');
    const organizations = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Organization');
    await page.getByTestId('preview-coverage').fill(JSON.stringify(coverage));
    await page.getByTestId('preview-organizations').fill(JSON.stringify(organizations));
    await page.getByTestId('preview-state').fill('UT');
    await page.getByTestId('preview-run').click();
    await page.getByTestId('preview-result').waitFor();
    expect(await page.getByTestId('preview-winner').textContent()).toContain('uuhp-commercial');
    expect(await page.getByTestId('preview-policy').textContent()).toMatch(/cpt/i);
    expect(await page.getByTestId('preview-lob').textContent()).toBe('commercial');

    // the change is in the audit log, newest first, with its before/after on demand
    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const row = page.locator('tr[data-testid^="audit-row-"]', { hasText: 'uuhp-commercial' }).first();
    await row.waitFor();
    await row.locator('button').click();
    expect(await page.locator('tr[data-testid^="audit-diff-"]').first().textContent()).toMatch(/policyId.*uuhp.*cpt-default/);

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
    expect(await page.getByTestId('import-problems').textContent()).toMatch(/2\s*policyId/);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);

    const target = exported.mappings.find((m) => m.id === 'icare-ma') ?? exported.mappings[0]!;
    const good = { mappings: exported.mappings.map((m) => (m.id === target.id ? { ...m, note: 'Imported from the billing office' } : m)) };
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify(good));
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'good.json'));
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-changed').textContent()).toContain(target.id);
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
