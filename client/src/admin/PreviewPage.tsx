/**
 * Preview: which mapping and policy a coverage resolves to, the mappings that matched and lost, and why.
 * Describe the coverage in a form (payer name, plan, coverage type, state) or paste the EHR's FHIR Coverage.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { lineOfBusinessLabel, mappingLabel } from '../../../server/contracts/mappingTies.js';
import type { AdminApi, PolicyInfo, PreviewResult } from './api.js';
import { describeMatch } from './mappingForm.js';
import { sampleCoverages } from './sampleCoverages.js';
import { Banner, Field } from './widgets.js';

/** common Source of Payment Typology codes, in words (the form's coverage type choices) */
export const COVERAGE_TYPES: { code: string; label: string }[] = [
  { code: '', label: 'Not given' },
  { code: '1', label: '1 — Medicare' }, { code: '111', label: '111 — Medicare Advantage HMO' }, { code: '121', label: '121 — Medicare Part A/B (fee-for-service)' },
  { code: '2', label: '2 — Medicaid' }, { code: '211', label: '211 — Medicaid HMO' }, { code: '23', label: '23 — Medicaid/SCHIP (CHIP)' },
  { code: '5', label: '5 — Private health insurance' }, { code: '512', label: '512 — Commercial managed care, PPO' },
  { code: '6', label: '6 — Blue Cross/Blue Shield' }, { code: '3712', label: '3712 — PPO' },
];

/** The form's words → what the server matches against. */
export function matchFromForm(f: { payer: string; plan: string; type: string; payerId: string }) {
  const list = (s: string) => (s.trim() ? [s.trim()] : []);
  return { payerNames: list(f.payer), planNames: list(f.plan), coverageTypes: list(f.type), payerIdentifiers: f.payerId.trim() ? [{ value: f.payerId.trim() }] : [] };
}

export default function PreviewPage(props: { api: AdminApi }) {
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [form, setForm] = useState({ payer: '', plan: '', type: '', payerId: '' });
  const [coverageText, setCoverageText] = useState('');
  const [orgText, setOrgText] = useState('');
  const [state, setState] = useState('');
  const [sample, setSample] = useState('');
  const [errors, setErrors] = useState<{ coverage?: string; organizations?: string; state?: string }>({});
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<PreviewResult>();
  const [busy, setBusy] = useState(false);
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  const [mappingNames, setMappingNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    void props.api.policies().then((r) => { if (r.ok) setPolicies(r.data); });
    void props.api.listMappings().then((r) => { if (r.ok) setMappingNames(new Map(r.data.map((m) => [m.id, mappingLabel(m)]))); });
  }, [props.api]);

  const pickSample = (id: string) => {
    setSample(id);
    const s = sampleCoverages.find((c) => c.id === id);
    if (s) {
      setCoverageText(JSON.stringify(s.coverage, null, 2)); setState(s.state);
      const c = s.coverage as { payor?: { display?: string }[]; class?: { name?: string }[]; type?: { coding?: { code?: string }[] } };
      setForm({ payer: c.payor?.[0]?.display ?? '', plan: c.class?.[0]?.name ?? '', type: c.type?.coding?.[0]?.code ?? '', payerId: '' });
    }
  };

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined); setResult(undefined);
    const errs: typeof errors = {};
    if (state.trim() && !/^[A-Za-z]{2}$/.test(state.trim())) errs.state = 'Use a two-letter state code, e.g. UT.';
    const patientState = state.trim() ? { patientState: state.trim().toUpperCase() } : {};
    if (mode === 'form') {
      setErrors(errs);
      if (Object.keys(errs).length) return;
      setBusy(true);
      const r = await props.api.preview({ match: matchFromForm(form), ...patientState });
      setBusy(false);
      if (r.ok) setResult(r.data); else setError(r.message);
      return;
    }
    let coverage: unknown; let organizations: unknown[] | undefined;
    try {
      coverage = JSON.parse(coverageText);
      if (!coverage || typeof coverage !== 'object' || (coverage as { resourceType?: unknown }).resourceType !== 'Coverage') errs.coverage = 'Paste a FHIR Coverage resource ("resourceType": "Coverage").';
    } catch { errs.coverage = 'The Coverage is not valid JSON.'; }
    if (orgText.trim()) {
      try {
        const o: unknown = JSON.parse(orgText);
        organizations = Array.isArray(o) ? o : [o];
      } catch { errs.organizations = 'The Organizations are not valid JSON.'; }
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const r = await props.api.preview({ coverage, ...(organizations ? { organizations } : {}), ...patientState });
    setBusy(false);
    if (r.ok) setResult(r.data);
    else if (r.kind === 'invalid') setError(`The server could not read this Coverage: ${r.details.map((d) => d.message).join('; ') || r.message}`);
    else setError(r.message);
  };

  const winnerId = result?.winner?.id;
  const lost = result ? result.matched.filter((m) => m.id !== winnerId) : [];
  const reasonOf = (id: string) => result?.reasons.find((r) => r.mappingId === id)?.reason;
  const policyId = result?.policy?.id ?? result?.winner?.policyId ?? 'cpt-default';
  const policyInfo = policies.find((p) => p.id === policyId);
  const policyLabel = `${result?.policy?.name ?? policyInfo?.name ?? policyId}${(result?.policy?.version ?? policyInfo?.version) ? ` (version ${result?.policy?.version ?? policyInfo?.version})` : ''}`;
  const reasons = result ? [...result.reasons].sort((a, b) => Number(b.matched) - Number(a.matched)) : [];
  const nameOf = (id: string) => {
    const m = result?.matched.find((x) => x.id === id) ?? (result?.winner?.id === id ? result.winner : undefined);
    return m ? mappingLabel(m) : (mappingNames.get(id) ?? id);
  };
  const lob = result?.policy?.lineOfBusiness ?? result?.lineOfBusiness ?? result?.winner?.lineOfBusiness;

  return (
    <section data-testid="preview-page" aria-labelledby="adm-preview-h">
      <h1 id="adm-preview-h">Preview a Coverage</h1>
      <form className="adm-form" onSubmit={(e) => void run(e)} noValidate>
        <div className="adm-grid">
          <div className="adm-field">
            <label htmlFor="adm-sample">Start from an example Coverage (optional)</label>
            <select id="adm-sample" value={sample} onChange={(e) => pickSample(e.target.value)} data-testid="preview-sample">
              <option value="">—</option>
              {sampleCoverages.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
            </select>
          </div>
          <Field label="Patient state (optional)" error={errors.state} testId="preview-state">
            {({ id, describedBy, invalid }) => (
              <input id={id} value={state} maxLength={2} onChange={(e) => setState(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} data-testid="preview-state" />
            )}
          </Field>
        </div>
        <fieldset className="adm-mode">
          <legend>How to give the coverage</legend>
          <label className="adm-radio"><input type="radio" name="preview-mode" checked={mode === 'form'} onChange={() => setMode('form')} data-testid="preview-mode-form" /> Describe it</label>
          <label className="adm-radio"><input type="radio" name="preview-mode" checked={mode === 'json'} onChange={() => setMode('json')} data-testid="preview-mode-json" /> Paste the EHR’s FHIR Coverage (JSON)</label>
        </fieldset>
        {mode === 'form' && (
          <div className="adm-grid" data-testid="preview-form">
            <Field label="Payer name" hint="As the EHR shows it, e.g. Peach State Health Plan" testId="preview-payer">
              {({ id, describedBy }) => <input id={id} value={form.payer} onChange={(e) => setForm({ ...form, payer: e.target.value })} aria-describedby={describedBy} data-testid="preview-payer" />}
            </Field>
            <Field label="Plan (optional)" hint="e.g. Healthy U" testId="preview-plan">
              {({ id, describedBy }) => <input id={id} value={form.plan} onChange={(e) => setForm({ ...form, plan: e.target.value })} aria-describedby={describedBy} data-testid="preview-plan" />}
            </Field>
            <Field label="Coverage type" hint="Source of Payment Typology code, as on Coverage.type" testId="preview-type">
              {({ id, describedBy }) => (
                <select id={id} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })} aria-describedby={describedBy} data-testid="preview-type">
                  {COVERAGE_TYPES.map((t) => <option key={t.code} value={t.code}>{t.label}</option>)}
                  {form.type && !COVERAGE_TYPES.some((t) => t.code === form.type) && <option value={form.type}>{form.type}</option>}
                </select>
              )}
            </Field>
            <Field label="Payer identifier (optional)" testId="preview-payer-id">
              {({ id, describedBy }) => <input id={id} value={form.payerId} onChange={(e) => setForm({ ...form, payerId: e.target.value })} aria-describedby={describedBy} data-testid="preview-payer-id" />}
            </Field>
          </div>
        )}
        {mode === 'json' && <>
        <Field label="Coverage (FHIR R4 JSON)" error={errors.coverage} testId="preview-coverage">
          {({ id, describedBy, invalid }) => (
            <textarea id={id} className="adm-code" rows={10} spellCheck={false} value={coverageText} onChange={(e) => setCoverageText(e.target.value)}
              aria-describedby={describedBy} aria-invalid={invalid} data-testid="preview-coverage" />
          )}
        </Field>
        <Field label="Payer Organization resources (JSON, optional)" hint="When the Coverage's payor is a reference, the Organization's name and identifiers are matched too." error={errors.organizations} testId="preview-organizations">
          {({ id, describedBy, invalid }) => (
            <textarea id={id} className="adm-code" rows={3} spellCheck={false} value={orgText} onChange={(e) => setOrgText(e.target.value)}
              aria-describedby={describedBy} aria-invalid={invalid} data-testid="preview-organizations" />
          )}
        </Field>
        </>}
        <div className="adm-actions">
          <button type="submit" className="adm-btn adm-btn--primary" disabled={busy || (mode === 'json' ? !coverageText.trim() : !(form.payer.trim() || form.plan.trim() || form.type || form.payerId.trim()))} data-testid="preview-run">{busy ? 'Resolving…' : 'Preview'}</button>
        </div>
      </form>
      {error && <Banner kind="error" testId="preview-error">{error}</Banner>}
      {result && (
        <div className="adm-result" aria-live="polite" data-testid="preview-result">
          {result.tie && result.tie.length > 0 && (
            <Banner kind="error" testId="preview-tie">
              Tie: {result.tie.map((id) => `'${nameOf(id)}'`).join(' and ')} match at the same priority and disagree. Visits like this get CPT-only rules,
              and the clinician is told an administrator must choose: give one of them another priority, narrower conditions, or turn one off.
            </Banner>
          )}
          <dl className="adm-dl">
            <dt>Winner</dt>
            <dd data-testid="preview-winner">{result.winner ? <><strong>{mappingLabel(result.winner)}</strong> (priority {result.winner.priority}) — {describeMatch(result.winner.match)}</>
              : result.tie?.length ? 'None: the tied mappings disagree, so CPT-only rules apply.' : 'No mapping matched: CPT rules only, with a warning.'}</dd>
            <dt>Policy</dt>
            <dd data-testid="preview-policy">{policyLabel}</dd>
            <dt>Line of business</dt>
            <dd data-testid="preview-lob">{lob && lob !== 'unknown' ? lineOfBusinessLabel(lob) : 'as the record says'}</dd>
          </dl>
          {result.input && (
            <details data-testid="preview-input">
              <summary>What was read from the Coverage</summary>
              <pre className="adm-code adm-pre">{JSON.stringify(result.input, null, 2)}</pre>
            </details>
          )}
          {lost.length > 0 && (
            <>
              <h2>Matched but lost</h2>
              <ul data-testid="preview-lost">
                {lost.map((m) => <li key={m.id}><strong>{mappingLabel(m)}</strong> (priority {m.priority}): {reasonOf(m.id) ?? 'lower priority'}</li>)}
              </ul>
            </>
          )}
          <h2>Every mapping (matched first)</h2>
          <table className="adm-table">
            <thead><tr><th scope="col">Mapping</th><th scope="col">Matched</th><th scope="col">Why</th></tr></thead>
            <tbody>
              {reasons.map((r) => (
                <tr key={r.mappingId} data-testid={`preview-reason-${r.mappingId}`} className={r.mappingId === winnerId ? 'adm-winner' : ''}>
                  <th scope="row">{nameOf(r.mappingId)}{r.mappingId === winnerId ? ' (winner)' : ''}</th>
                  <td>{r.matched ? 'yes' : 'no'}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
