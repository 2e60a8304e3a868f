import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSandboxToken, SANDBOX_WRITER_CLIENT_ID, sandboxSession, startSandboxServer, type RunningSandbox } from './testing.js';

let s: RunningSandbox;
const PATIENT = 'pt-uuhp-commercial';

beforeAll(async () => {
  s = await startSandboxServer();
});
afterAll(async () => s?.close());

describe('sandbox home page', () => {
  it('lists the synthetic patients with payer, plan, device, state and launch buttons per mode (after sign-in)', async () => {
    const session = await sandboxSession(s.url);
    const res = await session.fetch('/sandbox/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Marisol Sandoval');
    expect(html).toContain('University of Utah Health Plans');
    expect(html).toContain('SynchroMed');
    expect(html).toContain('<td>UT</td>');
    expect(html).toContain('Launch (Epic mode)');
    expect(html).toContain('Launch (Oracle Health mode)');
    expect(html).toContain(`href="${s.url}/admin"`);
    expect(html).not.toMatch(/<script/i);
  });

  it('the sign-in session cookie is HttpOnly, SameSite=Strict and limited to /sandbox; a form token of another session is refused', async () => {
    const signIn = await (await fetch(`${s.url}/sandbox/`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(signIn)![1]!;
    const res = await fetch(`${s.url}/sandbox/session`, { method: 'POST', body: new URLSearchParams({ csrf, user: 'sandbox-clinician' }), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^prc_sandbox_session=[A-Za-z0-9_-]{43}; Path=\/sandbox; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect((await fetch(`${s.url}/sandbox/session`, { method: 'POST', body: new URLSearchParams({ csrf: 'x', user: 'sandbox-clinician' }), redirect: 'manual' })).status).toBe(403);
    const a = await sandboxSession(s.url);
    const b = await sandboxSession(s.url);
    const crossed = await b.fetch('/sandbox/launch', { method: 'POST', body: new URLSearchParams({ csrf: a.csrf, patient: PATIENT, mode: 'generic' }) });
    expect(crossed.status).toBe(403);
  });

  it('a Launch button makes a launch context and sends the browser to the app\'s launch page', async () => {
    const session = await sandboxSession(s.url);
    const res = await session.fetch('/sandbox/launch', { method: 'POST', body: new URLSearchParams({ csrf: session.csrf, patient: PATIENT, mode: 'epic' }) });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin + to.pathname).toBe(`${s.url}/launch.html`);
    expect(to.searchParams.get('iss')).toBe(`${s.url}/sandbox/epic/fhir`);
    expect(to.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('lists patients as JSON with a launch URL per mode', async () => {
    const user = await getSandboxToken(s.url, { clientId: SANDBOX_WRITER_CLIENT_ID, scopes: 'openid user/Patient.rs' });
    const body = (await (await fetch(`${s.url}/sandbox/api/patients`, { headers: { authorization: `Bearer ${user.access_token}` } })).json()) as { patients: { id: string; name: string; launchUrls: Record<string, string> }[] };
    const p = body.patients.find((x) => x.id === PATIENT)!;
    expect(p.name).toBe('Marisol Sandoval');
    const res = await fetch(p.launchUrls.oracle!, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('iss')).toBe(`${s.url}/sandbox/oracle/ec2458f2-1e24-41c8-b71b-0e701af7583d/fhir`);
  });

  it('shows what the app wrote: the Claim lines and the decoded note text (escaped), until reset', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const post = (type: string, body: unknown) => fetch(`${t.fhirBase}/${type}`, {
      method: 'POST', headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/fhir+json' }, body: JSON.stringify(body),
    });
    const noteText = 'Pump refill checklist\n[x] residual volume 2.1 mL <script>alert(1)</script>';
    const doc = await post('DocumentReference', {
      resourceType: 'DocumentReference', status: 'current', docStatus: 'preliminary', subject: { reference: `Patient/${PATIENT}` },
      date: '2026-11-20T10:30:00Z', author: [{ reference: 'Practitioner/sandbox-clinician', display: 'Dr. Casey Clinician' }],
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(noteText).toString('base64') } }],
    });
    expect(doc.status).toBe(201);
    const claim = await post('Claim', {
      resourceType: 'Claim', status: 'draft', use: 'claim', created: '2026-11-20',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
      patient: { reference: `Patient/${PATIENT}` }, provider: { reference: 'Practitioner/sandbox-clinician' },
      priority: { coding: [{ code: 'normal' }] },
      insurance: [{ sequence: 1, focal: true, coverage: { reference: 'Coverage/cov-pt-uuhp-commercial' } }],
      item: [{ sequence: 1, productOrService: { coding: [{ code: '62370' }] }, modifier: [{ coding: [{ code: '25' }] }], quantity: { value: 1 } }],
    });
    expect(claim.status).toBe(201);
    const session = await sandboxSession(s.url);
    const html = await (await session.fetch('/sandbox/')).text();
    expect(html).toContain('[x] residual volume 2.1 mL &lt;script&gt;alert(1)&lt;/script&gt;</pre>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('62370 25 × 1');
    expect(html).toContain('docStatus preliminary');
    expect(html).toContain('Dr. Casey Clinician');

    // a reset without the page's form token, or from another site, is refused
    expect((await session.fetch('/sandbox/reset', { method: 'POST', body: new URLSearchParams({}) })).status).toBe(403);
    expect((await session.fetch('/sandbox/reset', { method: 'POST', body: new URLSearchParams({ csrf: session.csrf }), headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await session.fetch('/sandbox/reset', { method: 'POST', body: new URLSearchParams({ csrf: session.csrf }), headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await session.fetch('/sandbox/reset', { method: 'POST', body: new URLSearchParams({ csrf: session.csrf }), headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    // a browser's same-origin post under Referrer-Policy: no-referrer carries Origin: null
    const reset = await session.fetch('/sandbox/reset', { method: 'POST', body: new URLSearchParams({ csrf: session.csrf }), headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(reset.status).toBe(303);
    const after = await (await session.fetch('/sandbox/')).text();
    expect(after).not.toContain('residual volume 2.1 mL');
    expect(after).toContain('Marisol Sandoval');
  });
});
