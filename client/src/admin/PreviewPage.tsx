/** Preview: which mapping and policy a Coverage resolves to, the mappings that matched and lost, and why. */
import { useEffect, useState, type FormEvent } from 'react';
import type { AdminApi, PolicyInfo, PreviewResult } from './api.js';
import { describeMatch } from './mappingForm.js';
import { sampleCoverages } from './sampleCoverages.js';
import { Banner, Field } from './widgets.js';

export default function PreviewPage(props: { api: AdminApi }) {
  const [coverageText, setCoverageText] = useState('');
  const [orgText, setOrgText] = useState('');
  const [state, setState] = useState('');
  const [sample, setSample] = useState('');
  const [errors, setErrors] = useState<{ coverage?: string; organizations?: string; state?: string }>({});
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<PreviewResult>();
  const [busy, setBusy] = useState(false);
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  useEffect(() => { void props.api.policies().then((r) => { if (r.ok) setPolicies(r.data); }); }, [props.api]);

  const pickSample = (id: string) => {
    setSample(id);
    const s = sampleCoverages.find((c) => c.id === id);
    if (s) { setCoverageText(JSON.stringify(s.coverage, null, 2)); setState(s.state); }
  };

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined); setResult(undefined);
    const errs: typeof errors = {};
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
    if (state.trim() && !/^[A-Za-z]{2}$/.test(state.trim())) errs.state = 'Use a two-letter state code, e.g. UT.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const r = await props.api.preview({ coverage, ...(organizations ? { organizations } : {}), ...(state.trim() ? { patientState: state.trim().toUpperCase() } : {}) });
    setBusy(false);
    if (r.ok) setResult(r.data);
    else if (r.kind === 'invalid') setError(`${r.message}${r.details.length ? ` — ${r.details.map((d) => `${d.path}: ${d.message}`).join('; ')}` : ''}`);
    else setError(r.message);
  };

  const winnerId = result?.winner?.id;
  const lost = result ? result.matched.filter((m) => m.id !== winnerId) : [];
  const reasonOf = (id: string) => result?.reasons.find((r) => r.mappingId === id)?.reason;
  const policyId = result?.policy?.id ?? result?.winner?.policyId ?? 'cpt-default';
  const policyInfo = policies.find((p) => p.id === policyId);
  const policyLabel = `${result?.policy?.name ?? policyInfo?.name ?? policyId}${(result?.policy?.version ?? policyInfo?.version) ? ` (${result?.policy?.version ?? policyInfo?.version})` : ''} — ${policyId}`;
  const reasons = result ? [...result.reasons].sort((a, b) => Number(b.matched) - Number(a.matched)) : [];
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
        <div className="adm-actions">
          <button type="submit" className="adm-btn adm-btn--primary" disabled={busy || !coverageText.trim()} data-testid="preview-run">{busy ? 'Resolving…' : 'Preview'}</button>
        </div>
      </form>
      {error && <Banner kind="error" testId="preview-error">{error}</Banner>}
      {result && (
        <div className="adm-result" aria-live="polite" data-testid="preview-result">
          {result.tie && result.tie.length > 0 && (
            <Banner kind="error" testId="preview-tie">Tie: mappings {result.tie.join(', ')} match at the same priority. Give them different priorities.</Banner>
          )}
          <dl className="adm-dl">
            <dt>Winner</dt>
            <dd data-testid="preview-winner">{result.winner ? <><strong>{result.winner.id}</strong> (priority {result.winner.priority}) — {describeMatch(result.winner.match)}</> : 'No mapping matched: CPT rules only (cpt-default), with a warning.'}</dd>
            <dt>Policy</dt>
            <dd data-testid="preview-policy">{policyLabel}</dd>
            <dt>Line of business</dt>
            <dd data-testid="preview-lob">{lob ?? 'unknown'}</dd>
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
                {lost.map((m) => <li key={m.id}><strong>{m.id}</strong> (priority {m.priority}): {reasonOf(m.id) ?? 'lower priority'}</li>)}
              </ul>
            </>
          )}
          <h2>Every mapping (matched first)</h2>
          <table className="adm-table">
            <thead><tr><th scope="col">Mapping</th><th scope="col">Matched</th><th scope="col">Why</th></tr></thead>
            <tbody>
              {reasons.map((r) => (
                <tr key={r.mappingId} data-testid={`preview-reason-${r.mappingId}`} className={r.mappingId === winnerId ? 'adm-winner' : ''}>
                  <th scope="row">{r.mappingId}{r.mappingId === winnerId ? ' (winner)' : ''}</th>
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
