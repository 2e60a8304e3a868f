/**
 * Audit log in words: who (by name), what ("changed mapping 'U of U Medicaid': priority 10 → 20"), when; filters
 * by what happened, who and since; the field-by-field changes on demand.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { PayerMapping } from '../../../server/contracts/index.js';
import type { AdminApi, AuditEntry, PolicyInfo } from './api.js';
import { jsonDiff } from './jsonDiff.js';
import { Banner, formatTime } from './widgets.js';
import { actorLabel, AUDIT_ACTIONS, describeAudit } from './words.js';

const when = (e: AuditEntry) => e.at ?? e.time ?? e.createdAt;
const FIELD_NAMES: Record<string, string> = {
  name: 'Name', priority: 'Priority', enabled: 'On', policyId: 'Policy', lineOfBusiness: 'Line of business', note: 'Note',
  'match.payerName': 'Payer name', 'match.planName': 'Plan', 'match.coverageType': 'Coverage types', 'match.states': 'States',
  'match.payerIdentifier.value': 'Payer identifier', 'match.payerIdentifier.system': 'Payer identifier system',
  'options.reprogrammingMeaning': 'Reprogramming means', version: 'Version', confirmedTieWith: 'Confirmed a tie with',
};

export default function AuditPage(props: { api: AdminApi; me?: { fhirUser?: string; name?: string } }) {
  const { api } = props;
  const [mappings, setMappings] = useState<PayerMapping[]>([]);
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  useEffect(() => {
    void api.listMappings().then((r) => { if (r.ok) setMappings(r.data); });
    void api.policies().then((r) => { if (r.ok) setPolicies(r.data); });
  }, [api]);
  const ctx = useMemo(() => ({ mappings, policyName: (id: string) => policies.find((p) => p.id === id)?.name ?? id }), [mappings, policies]);
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [since, setSince] = useState('');
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<Set<number>>(new Set());

  const load = useCallback(async (f: { action: string; actor: string; since: string }) => {
    setError(undefined);
    const r = await api.audit({ action: f.action.trim(), actor: f.actor.trim(), since: f.since ? new Date(`${f.since}T00:00:00`).toISOString() : undefined, limit: 200 });
    if (r.ok) {
      setEntries(r.data.slice().sort((a, b) => (when(b) ?? '').localeCompare(when(a) ?? '')));
      setOpen(new Set());
    } else setError(r.message);
  }, [api]);
  useEffect(() => { void load({ action: '', actor: '', since: '' }); }, [load]);

  const apply = (e: FormEvent) => { e.preventDefault(); void load({ action, actor, since }); };
  const toggle = (i: number) => setOpen((s) => { const n = new Set(s); if (n.has(i)) n.delete(i); else n.add(i); return n; });

  return (
    <section data-testid="audit-page" aria-labelledby="adm-audit-h">
      <h1 id="adm-audit-h">Audit log</h1>
      <form className="adm-filters" onSubmit={apply}>
        <div className="adm-field">
          <label htmlFor="adm-audit-action">What happened</label>
          <select id="adm-audit-action" value={action} onChange={(e) => setAction(e.target.value)} data-testid="audit-filter-action">
            <option value="">Everything</option>
            {AUDIT_ACTIONS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        </div>
        <div className="adm-field">
          <label htmlFor="adm-audit-actor">Who (user id)</label>
          <input id="adm-audit-actor" placeholder="Practitioner/123" value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-filter-actor" />
        </div>
        <div className="adm-field">
          <label htmlFor="adm-audit-since">Since</label>
          <input id="adm-audit-since" type="date" value={since} onChange={(e) => setSince(e.target.value)} data-testid="audit-filter-since" />
        </div>
        <button type="submit" className="adm-btn" data-testid="audit-apply">Filter</button>
      </form>
      {error && <Banner kind="error" testId="audit-error">{error}</Banner>}
      {!entries && !error && <p aria-busy="true">Loading…</p>}
      {entries && (
        <table className="adm-table" data-testid="audit-table">
          <caption className="adm-sr">Audit entries, newest first</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col"><span className="adm-sr">Details</span></th></tr></thead>
          <tbody>
            {entries.length === 0 && <tr><td colSpan={4} className="adm-muted">No entries.</td></tr>}
            {entries.map((e, i) => {
              const hasDiff = e.before !== undefined || e.after !== undefined;
              const rows = open.has(i) ? jsonDiff(e.before, e.after) : [];
              return [
                <tr key={`r${i}`} data-testid={`audit-row-${i}`}>
                  <td>{formatTime(when(e))}</td>
                  <td title={e.actor}>{actorLabel(e.actor, props.me)}</td>
                  <td data-testid={`audit-action-${i}`}>{describeAudit(e, ctx)}</td>
                  <td>{hasDiff && e.action !== 'mapping.import' && (
                    <button type="button" className="adm-btn adm-btn--small" aria-expanded={open.has(i)} aria-controls={`adm-audit-diff-${i}`}
                      onClick={() => toggle(i)} data-testid={`audit-diff-toggle-${i}`}>{open.has(i) ? 'Hide changes' : 'Show changes'}</button>
                  )}</td>
                </tr>,
                open.has(i) && (
                  <tr key={`d${i}`} id={`adm-audit-diff-${i}`} data-testid={`audit-diff-${i}`}>
                    <td colSpan={4}>
                      {rows.length === 0 ? <span className="adm-muted">No field changed.</span> : (
                        <table className="adm-table adm-diff">
                          <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
                          <tbody>{rows.map((r) => <tr key={r.path}><th scope="row">{FIELD_NAMES[r.path] ?? r.path}</th><td>{r.before}</td><td>{r.after}</td></tr>)}</tbody>
                        </table>
                      )}
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
