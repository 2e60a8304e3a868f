/**
 * The sandbox home page (/sandbox/): the synthetic patients with Launch buttons per vendor mode, and what the app
 * wrote back (Claim drafts, DocumentReferences with their text). Also the launch endpoints and a small JSON API.
 *
 * Like an EHR's own screens, the patient list is shown only after signing in to the sandbox EHR (a session
 * cookie: HttpOnly, SameSite=Strict, path /sandbox). Every state-changing form (sign-in, Launch, Reset) carries
 * a form token bound to the session and must come from the sandbox's own origin; the JSON launch API takes
 * application/json only, from the same origin; the JSON patient list needs a user-level token that may search
 * Patient. `GET /launch?patient=&mode=` stays a deep link (as an EHR's "open in app" link): it shows nothing and
 * only starts a launch whose token goes to the registered app.
 */
import { isResourceType } from '@medplum/core';
import type { Claim, Coverage, Device, DocumentReference, Patient } from '@medplum/fhirtypes';
import express, { type Request, type Response } from 'express';
import type { SandboxUrls } from './bases.js';
import { MODES } from './bases.js';
import { Directory, patientName } from './directory.js';
import { html, page, type SafeHtml } from './html.js';
import type { ModeId } from './modes/types.js';
import { TENANT_PATTERN } from './modes/oracle.js';
import type { FormTokens } from './forms.js';
import { sameOrigin } from './forms.js';
import { checkAccess } from './scopes.js';
import { randomHandle, SESSION_TTL_SECONDS, type AuthState } from './state.js';
import { CLINICIAN_ID, userLabel } from './users.js';

interface HomeDeps {
  urls: SandboxUrls;
  state: AuthState;
  directory: Directory;
  forms: FormTokens;
  reset(): Promise<void>;
}

export const SESSION_COOKIE = 'prc_sandbox_session';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const MODE_IDS = Object.keys(MODES) as ModeId[];

function decodeText(data: string | undefined): string {
  return data ? Buffer.from(data, 'base64').toString('utf8') : '';
}

async function patientSummary(directory: Directory, p: Patient) {
  const coverages = await directory.byPatient<Coverage>('Coverage', p.id!);
  const coverage = coverages.find((c) => c.status === 'active') ?? coverages[0];
  const payer = await directory.organization(coverage?.payor?.[0]?.reference);
  const plan = coverage?.class?.find((c) => c.type?.coding?.some((x) => x.code === 'plan'));
  const devices = await directory.byPatient<Device>('Device', p.id!);
  const device = devices[0];
  return {
    payer: payer?.name ?? coverage?.payor?.[0]?.display ?? '',
    plan: plan?.name ?? plan?.value ?? '',
    device: device ? [device.deviceName?.[0]?.name ?? device.type?.text ?? device.type?.coding?.[0]?.display, device.modelNumber && `model ${device.modelNumber}`].filter(Boolean).join(', ') : '',
    state: p.address?.[0]?.state ?? '',
  };
}

function claimRows(claims: Claim[]): SafeHtml {
  if (claims.length === 0) return html`<p class="muted">No Claim drafts written.</p>`;
  return html`<table><thead><tr><th>Claim</th><th>Status</th><th>Created</th><th>Lines (code, modifiers × quantity)</th></tr></thead><tbody>
${claims.map((c) => html`<tr><td>${c.id}</td><td>${c.status}</td><td>${c.created}</td><td><ul>
${(c.item ?? []).map((it) => html`<li>${it.productOrService?.coding?.[0]?.code ?? it.productOrService?.text ?? '?'}${(it.modifier ?? []).length ? html` ${(it.modifier ?? []).map((m) => m.coding?.[0]?.code ?? m.text).join(' ')}` : ''} × ${it.quantity?.value ?? 1}${it.quantity?.unit ? html` ${it.quantity.unit}` : ''}</li>`)}
</ul></td></tr>`)}
</tbody></table>`;
}

function documentRows(docs: DocumentReference[]): SafeHtml {
  if (docs.length === 0) return html`<p class="muted">No DocumentReferences written.</p>`;
  return html`${docs.map((d) => html`<article class="document">
<h4>DocumentReference ${d.id}</h4>
<p>status ${d.status} · docStatus ${d.docStatus ?? '(none)'} · date ${d.date ?? '(none)'} · author ${(d.author ?? []).map((a) => a.display ?? a.reference).join(', ') || '(none)'}${d.type?.text ? html` · ${d.type.text}` : ''}</p>
${(d.content ?? []).map((c) => {
    const a = c.attachment;
    const type = (a?.contentType ?? '').split(';')[0]!.trim();
    if (type === 'text/plain' && a?.data) return html`<pre>${decodeText(a.data)}</pre>`;
    return html`<p class="muted">${a?.title ?? 'attachment'}: ${a?.contentType ?? 'unknown type'}${a?.data ? `, ${Buffer.from(a.data, 'base64').length} bytes` : ''}</p>`;
  })}
</article>`)}`;
}

export function createHomeRouter(deps: HomeDeps): express.Router {
  const { urls, state, directory, forms } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const origin = new URL(urls.publicUrl).origin;
  const secure = urls.publicUrl.startsWith('https:');

  /** the signed-in sandbox session of this browser, if any */
  function session(req: Request): { id: string; userId: string } | undefined {
    const id = cookie(req, SESSION_COOKIE);
    const s = id && /^[A-Za-z0-9_-]{43}$/.test(id) ? state.sessions.get(id) : undefined;
    return s && id ? { id, userId: s.userId } : undefined;
  }

  function refuse(res: Response, message: string): void {
    res.status(403).type('html').set('Cache-Control', 'no-store').send(page('Sandbox EHR', html`<h1>Refused</h1><p class="error">${message}</p>
<p><a href="${urls.sandboxPath}/">Back to the sandbox EHR</a></p>`));
  }

  /** A state-changing form post: same origin, a signed-in session and its form token. */
  function checkForm(req: Request, res: Response): { id: string; userId: string } | undefined {
    if (!sameOrigin(req, origin)) return void refuse(res, 'This form was posted from another site.');
    const s = session(req);
    if (!s) return void refuse(res, 'Sign in to the sandbox EHR first.');
    if (!forms.verify((req.body as Record<string, unknown> | undefined)?.csrf, s.id)) return void refuse(res, 'This form has expired. Reload the page and try again.');
    return s;
  }

  async function createLaunch(patientId: string, mode: ModeId, tenant?: string, userId: string = CLINICIAN_ID, deniedTypes?: string[]) {
    const base = urls.base(mode, tenant);
    const encounterId = await directory.latestEncounterId(patientId);
    const launch = state.createLaunch({
      patientId, encounterId, userId, needPatientBanner: base.mode.needPatientBanner, base: base.url,
      ...(deniedTypes?.length ? { deniedTypes } : {}),
    });
    return { launch, iss: base.url, launchUrl: urls.launchUrl(base, launch) };
  }

  async function launchFromBrowser(req: Request, res: Response, params: Record<string, unknown>) {
    const patient = await directory.patient(String(params.patient ?? ''));
    const mode = String(params.mode ?? 'generic') as ModeId;
    if (!patient?.id || !MODE_IDS.includes(mode)) {
      res.status(400).type('html').send(page('Sandbox EHR', html`<h1>Cannot launch</h1><p class="error">Unknown patient or mode.</p><p><a href="${urls.sandboxPath}/">Back</a></p>`));
      return;
    }
    const { launchUrl } = await createLaunch(patient.id, mode, undefined, session(req)?.userId);
    res.set('Cache-Control', 'no-store').redirect(req.method === 'GET' ? 302 : 303, launchUrl);
  }

  router.post('/launch', form, (req, res, next) => {
    if (!checkForm(req, res)) return;
    launchFromBrowser(req, res, req.body ?? {}).catch(next);
  });
  router.get('/launch', (req, res, next) => { launchFromBrowser(req, res, req.query).catch(next); });

  router.post('/reset', form, async (req, res, next) => {
    try {
      if (!checkForm(req, res)) return;
      await deps.reset();
      res.redirect(303, `${urls.sandboxPath}/`);
    } catch (err) {
      next(err);
    }
  });

  // Sign-in to the sandbox EHR's own screens (auto-approved: a sandbox user is chosen, no password).
  router.post('/session', form, (req, res) => {
    if (!sameOrigin(req, origin)) return refuse(res, 'This sign-in form was posted from another site.');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!forms.verify(body.csrf)) return refuse(res, 'This sign-in form has expired. Reload the page and try again.');
    const user = directory.users().find((u) => u.id === body.user && u.id === CLINICIAN_ID);
    if (!user?.id) return refuse(res, 'Unknown sandbox user.');
    const id = randomHandle();
    state.sessions.set(id, { userId: user.id }, SESSION_TTL_SECONDS);
    res.set('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=${urls.sandboxPath}; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_SECONDS}${secure ? '; Secure' : ''}`);
    res.set('Cache-Control', 'no-store').redirect(303, `${urls.sandboxPath}/`);
  });

  router.post('/session/end', form, (req, res) => {
    const s = checkForm(req, res);
    if (!s) return;
    state.sessions.delete(s.id);
    res.set('Set-Cookie', `${SESSION_COOKIE}=; Path=${urls.sandboxPath}; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`);
    res.set('Cache-Control', 'no-store').redirect(303, `${urls.sandboxPath}/`);
  });

  router.get('/api/patients', async (req, res, next) => {
    try {
      res.set('Cache-Control', 'no-store');
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      const grant = m ? state.activeAccess(m[1]!)?.grant : undefined;
      if (!grant) {
        res.status(401).set('WWW-Authenticate', `Bearer realm="${urls.sandbox}"${m ? ', error="invalid_token"' : ''}`)
          .json({ error: { code: 'unauthorized', message: 'The patient list needs a sandbox access token with a user-level Patient search scope (user/Patient.rs)' } });
        return;
      }
      const access = checkAccess(grant.scopes, 'Patient', 's');
      if (!access.allowed || access.patientOnly) {
        res.status(403).set('WWW-Authenticate', `Bearer realm="${urls.sandbox}", error="insufficient_scope", scope="user/Patient.rs"`)
          .json({ error: { code: 'forbidden', message: 'The patient list needs a user-level Patient search scope (user/Patient.rs)' } });
        return;
      }
      const patients = await directory.patients();
      res.set('Cache-Control', 'no-store').json({
        patients: patients.map((p) => ({
          id: p.id,
          name: patientName(p),
          launchUrls: Object.fromEntries(MODE_IDS.map((m) => [m, `${urls.sandbox}/launch?patient=${encodeURIComponent(p.id!)}&mode=${m}`])),
          iss: Object.fromEntries(MODE_IDS.map((m) => [m, urls.base(m).url])),
        })),
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/launch', (req, res, next) => {
    // JSON only (a cross-site form cannot send it without a CORS preflight, which the sandbox never answers)
    if (!req.is('application/json')) {
      res.status(415).json({ error: { code: 'unsupported-media-type', message: 'POST /sandbox/api/launch takes application/json' } });
      return;
    }
    if (!sameOrigin(req, origin)) {
      res.status(403).json({ error: { code: 'forbidden', message: 'Cross-site launch requests are refused' } });
      return;
    }
    next();
  }, express.json({ limit: '16kb' }), async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as { patientId?: unknown; mode?: unknown; tenant?: unknown; deny?: unknown; userId?: unknown };
      const user = body.userId === undefined ? undefined : directory.users().find((u) => u.id === body.userId);
      const deny = body.deny;
      const denyOk = deny === undefined || (Array.isArray(deny) && deny.length <= 50 && deny.every((t) => typeof t === 'string' && isResourceType(t)));
      const mode = (body.mode ?? 'generic') as ModeId;
      const tenant = typeof body.tenant === 'string' ? body.tenant : undefined;
      const patient = typeof body.patientId === 'string' ? await directory.patient(body.patientId) : undefined;
      if (!patient?.id || !MODE_IDS.includes(mode) || (tenant !== undefined && !TENANT_PATTERN.test(tenant)) || !denyOk || (body.userId !== undefined && !user?.id)) {
        res.status(400).json({ error: { code: 'bad-request', message: 'patientId must name a sandbox patient; mode generic|epic|oracle; tenant a UUID; deny a list of FHIR resource types; userId a sandbox user' } });
        return;
      }
      res.set('Cache-Control', 'no-store').json(await createLaunch(patient.id, mode, tenant, user?.id ?? CLINICIAN_ID, deny as string[] | undefined));
    } catch (err) {
      next(err);
    }
  });

  router.get('/', async (req, res, next) => {
    try {
      const signedIn = session(req);
      if (!signedIn) {
        const clinician = directory.users().find((u) => u.id === CLINICIAN_ID)!;
        res.set('Cache-Control', 'no-store').type('html').send(page('Sandbox EHR: sign in', html`
<h1>Sandbox EHR</h1>
<p>Synthetic patients for trying Pump Refill Coder. Sign in to see the patient list, as you would in an EHR.</p>
<form method="post" action="${urls.sandboxPath}/session">
<input type="hidden" name="csrf" value="${forms.issue()}">
<button type="submit" name="user" value="${clinician.id}" data-testid="sandbox-sign-in">Sign in as ${userLabel(clinician)}</button>
<span class="muted">Practitioner/${clinician.id} (no password: this is a sandbox)</span></form>
<p><a href="${urls.publicUrl}/admin">Sign in to Pump Refill Coder as administrator</a></p>`));
        return;
      }
      const csrf = forms.issue(signedIn.id);
      const patients = await directory.patients();
      const sections = await Promise.all(patients.map(async (p) => {
        const s = await patientSummary(directory, p);
        const claims = (await directory.byPatient<Claim>('Claim', p.id!)).sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''));
        const docs = (await directory.byPatient<DocumentReference>('DocumentReference', p.id!)).sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
        return { p, s, claims, docs };
      }));
      res.set('Cache-Control', 'no-store').type('html').send(page('Sandbox EHR', html`
<h1>Sandbox EHR</h1>
<p>Synthetic patients for trying Pump Refill Coder. “Launch” opens the app as the EHR would (clinician: Practitioner/${CLINICIAN_ID}).
Epic and Oracle Health modes follow those EHRs' documented rules (no Claim write; their DocumentReference rules).</p>
<p><a href="${urls.publicUrl}/admin">Sign in as administrator</a></p>
<table><thead><tr><th>Patient</th><th>Payer / plan</th><th>Device</th><th>State</th><th>Launch</th></tr></thead><tbody>
${sections.map(({ p, s }) => html`<tr><td><a href="#${p.id}">${patientName(p)}</a><br><span class="muted">${p.id}</span></td>
<td>${s.payer}${s.plan ? html`<br><span class="muted">${s.plan}</span>` : ''}</td><td>${s.device}</td><td>${s.state}</td>
<td>${MODE_IDS.map((m) => html`<form class="inline" method="post" action="${urls.sandboxPath}/launch">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="patient" value="${p.id}"><input type="hidden" name="mode" value="${m}">
<button type="submit" aria-label="Launch ${patientName(p)} (${MODES[m].label})">Launch${m === 'generic' ? '' : html` (${MODES[m].label})`}</button></form>`)}</td></tr>`)}
</tbody></table>
<h2>Written back by the app</h2>
${sections.map(({ p, claims, docs }) => html`<section class="patient" id="${p.id}">
<h3>${patientName(p)} <span class="muted">(${p.id})</span></h3>
<h4>Claim drafts</h4>${claimRows(claims)}
<h4>Documents</h4>${documentRows(docs)}
</section>`)}
<form method="post" action="${urls.sandboxPath}/reset"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Reset sandbox data</button>
<span class="muted">reloads the fixtures and removes everything written</span></form>
<form method="post" action="${urls.sandboxPath}/session/end"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Sign out of the sandbox EHR</button></form>`));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
