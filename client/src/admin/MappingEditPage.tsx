/**
 * Create or edit a payer mapping. Client-side validation with the shared PayerMappingInput schema, server 400
 * details mapped onto the same fields; on 412 a field-by-field diff (when you opened it / yours / current) and
 * "reapply my changes on the current version".
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { LineOfBusiness, PolicyId, type PayerMapping } from '../../../server/contracts/index.js';
import { lineOfBusinessLabel } from '../../../server/contracts/mappingTies.js';
import type { AdminApi, FieldErrors, PolicyInfo, TiedMapping } from './api.js';
import type { Navigate } from './AdminApp.js';
import {
  diffForms, emptyForm, errorFor, formFromMapping, reapply, validateForm, type DiffRow, type MappingFormValues,
} from './mappingForm.js';
import { strings } from './strings.js';
import { Banner, Confirm, Field } from './widgets.js';

interface Stale { current: PayerMapping; rows: DiffRow[]; yours: MappingFormValues }

export default function MappingEditPage(props: { api: AdminApi; id: string; navigate: Navigate }) {
  const { api, navigate } = props;
  const isNew = props.id === 'new';
  const [values, setValues] = useState<MappingFormValues>(emptyForm);
  const [base, setBase] = useState<MappingFormValues>(emptyForm);
  const [version, setVersion] = useState<number>();
  const [loaded, setLoaded] = useState(isNew);
  const [policies, setPolicies] = useState<PolicyInfo[]>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState<Stale>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [reapplied, setReapplied] = useState(false);
  /** the server named mappings this save would tie with: ask before saving anyway */
  const [tie, setTie] = useState<{ ties: TiedMapping[]; message: string }>();
  const [name, setName] = useState<string>();
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    void api.policies().then((r) => { if (live) setPolicies(r.ok ? r.data : []); });
    if (!isNew) {
      void api.getMapping(props.id).then((r) => {
        if (!live) return;
        if (r.ok) {
          const f = formFromMapping(r.data);
          setValues(f); setBase(f); setVersion(r.data.version); setLoaded(true); setName(r.data.name);
        } else setFormError(r.message);
      });
    }
    return () => { live = false; };
  }, [api, isNew, props.id]);

  const set = <K extends keyof MappingFormValues>(k: K, v: MappingFormValues[K]) => {
    const next = { ...values, [k]: v };
    setValues(next);
    // once the admin has tried to save, keep the inline errors current as they type
    if (submitted) { const r = validateForm(next); setErrors(r.ok ? {} : r.fieldErrors); }
  };

  const focusErrors = () => requestAnimationFrame(() => {
    const first = document.querySelector<HTMLElement>('.adm-form [aria-invalid="true"]');
    (first ?? errorRef.current)?.focus();
  });

  const save = async (e?: FormEvent, confirmTie = false) => {
    e?.preventDefault();
    setSubmitted(true); setFormError(undefined); setTie(undefined);
    const v = validateForm(values);
    if (!v.ok) { setErrors(v.fieldErrors); setFormError(strings.invalid); focusErrors(); return; }
    setErrors({}); setSaving(true);
    const r = isNew ? await api.createMapping(v.input, { confirmTie }) : await api.updateMapping(props.id, version ?? 1, v.input, { confirmTie });
    setSaving(false);
    if (r.ok) {
      const label = r.data.name ?? r.data.id;
      navigate('/admin/mappings', isNew ? `${strings.created} ('${label}')` : `${strings.saved} ('${label}', version ${r.data.version})`);
      return;
    }
    switch (r.kind) {
      case 'tie':
        setTie({ ties: r.ties, message: r.message });
        break;
      case 'invalid':
        setErrors(r.fieldErrors);
        setFormError(r.fieldErrors.form ?? r.message);
        focusErrors();
        break;
      case 'stale':
        setStale({ current: r.current, yours: values, rows: diffForms(base, values, formFromMapping(r.current)) });
        break;
      default:
        setFormError(r.message);
    }
  };

  const reapplyMine = () => {
    if (!stale) return;
    const current = formFromMapping(stale.current);
    setValues(reapply(base, stale.yours, current));
    setBase(current); setVersion(stale.current.version); setStale(undefined); setReapplied(true);
  };
  const takeCurrent = () => {
    if (!stale) return;
    const current = formFromMapping(stale.current);
    setValues(current); setBase(current); setVersion(stale.current.version); setStale(undefined); setReapplied(false);
  };

  const remove = async () => {
    setSaving(true);
    const r = await api.deleteMapping(props.id, version ?? 1);
    setSaving(false); setConfirmDelete(false);
    if (r.ok || r.kind === 'not-found') { navigate('/admin/mappings', `${strings.deleted} (${props.id})`); return; }
    if (r.kind === 'stale') setStale({ current: r.current, yours: values, rows: diffForms(base, values, formFromMapping(r.current)) });
    else setFormError(r.message);
  };

  const policyOptions: { id: string; label: string; lobs?: string[] }[] = policies && policies.length
    ? policies.map((p) => ({ id: p.id, label: `${p.name}${p.version ? ` (${p.version})` : ''}`, lobs: p.linesOfBusiness }))
    : PolicyId.options.map((id) => ({ id, label: id }));
  const chosenPolicy = policyOptions.find((p) => p.id === values.policyId);
  const lobHint = chosenPolicy?.lobs?.length ? `This policy covers: ${chosenPolicy.lobs.map(lineOfBusinessLabel).join(', ')}` : undefined;
  const err = (f: keyof MappingFormValues) => errorFor(errors, f);
  const input = (f: 'payerIdSystem' | 'payerIdValue' | 'payerName' | 'planName' | 'coverageType' | 'states' | 'priority',
    label: string, hint?: string, extra: { inputMode?: 'numeric'; placeholder?: string } = {}) => (
    <Field label={label} error={err(f)} hint={hint} testId={`mapping-field-${f}`}>
      {({ id, describedBy, invalid }) => (
        <input id={id} type="text" value={values[f]} onChange={(e) => set(f, e.target.value)} aria-describedby={describedBy}
          aria-invalid={invalid} data-testid={`mapping-field-${f}`} {...extra} />
      )}
    </Field>
  );

  return (
    <section data-testid="mapping-edit-page" aria-labelledby="adm-edit-h">
      <div className="adm-pagehead">
        <h1 id="adm-edit-h">{isNew ? 'New payer mapping' : `Edit mapping '${name ?? props.id}'`}</h1>
        {!isNew && version !== undefined && <span className="adm-muted" data-testid="mapping-version">version {version}</span>}
      </div>
      <div ref={errorRef} tabIndex={-1}>
        {formError && <Banner kind="error" testId="mapping-form-error">{formError}{errors.match ? ` ${errors.match}` : ''}</Banner>}
      </div>
      {tie && (
        <div className="adm-stale" role="alert" data-testid="tie-panel">
          <h2>This mapping would tie</h2>
          <p>At priority {values.priority} it can match the same coverages as:</p>
          <ul data-testid="tie-list">
            {tie.ties.map((t, i) => (
              <li key={t.id ?? i}><strong>{t.label ?? t.name ?? t.id}</strong>{t.policyName ? ` — ${t.policyName}` : ''}{t.lineOfBusiness ? `, ${lineOfBusinessLabel(t.lineOfBusiness)}` : ''}</li>
            ))}
          </ul>
          <p>but sends them to a different policy, line of business or option. A tied visit gets CPT-only rules and the clinician is told an administrator must choose.
            Give one of them another priority or narrower conditions — or save anyway if you will fix the other one next.</p>
          <div className="adm-actions">
            <button type="button" className="adm-btn" onClick={() => setTie(undefined)} data-testid="tie-cancel">Change the priority</button>
            <button type="button" className="adm-btn adm-btn--danger" disabled={saving} onClick={() => void save(undefined, true)} data-testid="tie-confirm">Save anyway, with the tie</button>
          </div>
        </div>
      )}
      {reapplied && <Banner kind="info" testId="mapping-reapplied">Your changes are laid on top of the current version. Check them and save again.</Banner>}
      {stale && (
        <div className="adm-stale" data-testid="stale-panel" role="alert">
          <h2>{strings.stale}</h2>
          <p>Version {stale.current.version} is now on the server. Fields marked changed meanwhile were edited by someone else; nothing of yours was saved yet.</p>
          <table className="adm-table adm-diff">
            <thead><tr><th scope="col">Field</th><th scope="col">When you opened it</th><th scope="col">Yours</th><th scope="col">Current</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {stale.rows.filter((r) => r.changedByYou || r.changedMeanwhile).map((r) => (
                <tr key={r.field} data-testid={`stale-diff-row-${r.field}`} className={r.conflict ? 'adm-conflict' : ''}>
                  <th scope="row">{r.label}</th><td>{r.base}</td><td>{r.yours}</td><td>{r.current}</td>
                  <td>{r.conflict ? 'both changed' : r.changedMeanwhile && r.changedByYou ? 'same change' : r.changedMeanwhile ? 'changed meanwhile' : 'your change'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="adm-actions">
            <button type="button" className="adm-btn adm-btn--primary" onClick={reapplyMine} data-testid="stale-reapply">Reapply my changes on the current version</button>
            <button type="button" className="adm-btn" onClick={takeCurrent} data-testid="stale-discard">Discard mine, load the current version</button>
          </div>
        </div>
      )}
      {!loaded && !formError && <p aria-busy="true">Loading…</p>}
      {loaded && (
        <form className="adm-form" onSubmit={(e) => void save(e)} noValidate data-testid="mapping-form">
          <fieldset>
            <legend>Rule</legend>
            <Field label="Name" error={err('name')} hint="What billing staff call it, e.g. “U of U Health Plans — Medicaid (Healthy U)”" testId="mapping-field-name">
              {({ id, describedBy, invalid }) => (
                <input id={id} type="text" value={values.name} onChange={(e) => set('name', e.target.value)} aria-describedby={describedBy}
                  aria-invalid={invalid} data-testid="mapping-field-name" maxLength={120} />
              )}
            </Field>
            <div className="adm-grid">
              {input('priority', 'Priority', 'Higher wins; 0 to 1,000,000', { inputMode: 'numeric' })}
              <div className="adm-field adm-check">
                <label>
                  <input type="checkbox" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="mapping-field-enabled" />
                  Enabled
                </label>
              </div>
              <Field label="Policy" error={err('policyId')} hint={lobHint} testId="mapping-field-policyId">
                {({ id, describedBy, invalid }) => (
                  <select id={id} value={values.policyId} onChange={(e) => set('policyId', e.target.value)} aria-describedby={describedBy}
                    aria-invalid={invalid} data-testid="mapping-field-policyId">
                    <option value="">Choose…</option>
                    {policyOptions.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Line of business" error={err('lineOfBusiness')} testId="mapping-field-lineOfBusiness">
                {({ id, describedBy, invalid }) => (
                  <select id={id} value={values.lineOfBusiness} onChange={(e) => set('lineOfBusiness', e.target.value as MappingFormValues['lineOfBusiness'])}
                    aria-describedby={describedBy} aria-invalid={invalid} data-testid="mapping-field-lineOfBusiness">
                    <option value="">Choose…</option>
                    {LineOfBusiness.options.map((l) => <option key={l} value={l}>{lineOfBusinessLabel(l)}</option>)}
                  </select>
                )}
              </Field>
            </div>
          </fieldset>
          <fieldset>
            <legend>Match (all given conditions must hold)</legend>
            {errors.match && <div className="adm-error" data-testid="mapping-field-match-error">{errors.match}</div>}
            <div className="adm-grid">
              {input('payerIdSystem', 'Payer identifier system', 'e.g. urn:oid:2.16.840.1.113883.6.300 (NAIC)')}
              {input('payerIdValue', 'Payer identifier value')}
              {input('payerName', 'Payer name', 'Case-insensitive substring, or a glob with * and ?')}
              {input('planName', 'Plan name', 'Case-insensitive substring, or a glob with * and ?')}
              {input('coverageType', 'Coverage type codes', 'Comma list of Source of Payment Typology codes, e.g. 1, 111')}
              {input('states', 'Patient states', 'Comma list of two-letter states, e.g. UT, ID')}
            </div>
          </fieldset>
          <fieldset>
            <legend>Options</legend>
            <div className="adm-grid">
              <Field label="Reprogramming means" error={err('reprogrammingMeaning')} hint="What counts as reprogramming for this payer" testId="mapping-field-reprogrammingMeaning">
                {({ id, describedBy, invalid }) => (
                  <select id={id} value={values.reprogrammingMeaning} aria-describedby={describedBy} aria-invalid={invalid}
                    onChange={(e) => set('reprogrammingMeaning', e.target.value as MappingFormValues['reprogrammingMeaning'])} data-testid="mapping-field-reprogrammingMeaning">
                    <option value="">Default (rate or dose change only)</option>
                    <option value="rate-or-dose-only">Rate or dose change only</option>
                    <option value="any-settings-update">Any settings update</option>
                  </select>
                )}
              </Field>
              <Field label="Note" error={err('note')} testId="mapping-field-note">
                {({ id, describedBy, invalid }) => (
                  <textarea id={id} rows={2} value={values.note} onChange={(e) => set('note', e.target.value)} aria-describedby={describedBy}
                    aria-invalid={invalid} data-testid="mapping-field-note" />
                )}
              </Field>
            </div>
          </fieldset>
          <div className="adm-actions">
            <button type="submit" className="adm-btn adm-btn--primary" disabled={saving || !!stale} data-testid="mapping-save">{saving ? 'Saving…' : isNew ? 'Create mapping' : 'Save changes'}</button>
            <button type="button" className="adm-btn" onClick={() => navigate('/admin/mappings')} data-testid="mapping-cancel">Cancel</button>
            {!isNew && <button type="button" className="adm-btn adm-btn--danger adm-push" onClick={() => setConfirmDelete(true)} data-testid="mapping-delete">Delete…</button>}
          </div>
          {confirmDelete && (
            <Confirm title={`Delete mapping '${name ?? props.id}'?`} confirmLabel="Delete" busy={saving} onConfirm={() => void remove()} onCancel={() => setConfirmDelete(false)}>
              Coverages it matches will fall to the next mapping, or to CPT rules only.
            </Confirm>
          )}
        </form>
      )}
    </section>
  );
}
