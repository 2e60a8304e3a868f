/** The billing worklist: Claim drafts kept by the app; filter by status, open a Claim, export CSV, download FHIR JSON. */
import { useCallback, useEffect, useState } from 'react';
import type { AdminApi, WorklistItem } from './api.js';
import { Banner, downloadText, formatTime } from './widgets.js';

const KNOWN_STATUSES = ['draft', 'exported', 'written-to-ehr'];
/** "62370-26 ×1, J2275 ×20" */
const codesOf = (item: WorklistItem) => (item.codes ?? []).map((c) => (typeof c === 'string' ? c
  : `${c.code}${c.modifiers?.length ? `-${c.modifiers.join('-')}` : ''}${c.units ? ` ×${c.units}` : ''}`)).join(', ');

export default function WorklistPage(props: { api: AdminApi }) {
  const { api } = props;
  const [status, setStatus] = useState('');
  const [items, setItems] = useState<WorklistItem[]>();
  const [seen, setSeen] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [claim, setClaim] = useState<{ visitKey: string; json: Record<string, unknown> }>();

  const load = useCallback(async (s: string) => {
    setError(undefined);
    const r = await api.worklist(s || undefined);
    if (r.ok) {
      setItems(r.data);
      setSeen((prev) => [...new Set([...prev, ...r.data.map((i) => i.status).filter((x): x is string => !!x)])]);
    } else setError(r.message);
  }, [api]);
  useEffect(() => { void load(status); }, [load, status]);

  const open = async (visitKey: string) => {
    const r = await api.claim(visitKey);
    if (r.ok) setClaim({ visitKey, json: r.data }); else setError(r.message);
  };
  const exportCsv = async () => {
    const r = await api.worklistCsv(status || undefined);
    if (r.ok) downloadText(`worklist${status ? `-${status}` : ''}-${new Date().toISOString().slice(0, 10)}.csv`, r.data, 'text/csv');
    else setError(r.message);
  };
  const statuses = [...new Set([...KNOWN_STATUSES, ...seen])];

  return (
    <section data-testid="worklist-page" aria-labelledby="adm-wl-h">
      <div className="adm-pagehead">
        <h1 id="adm-wl-h">Billing worklist</h1>
        <button type="button" className="adm-btn" onClick={() => void exportCsv()} data-testid="worklist-export-csv">Export CSV</button>
      </div>
      <div className="adm-filters">
        <div className="adm-field">
          <label htmlFor="adm-wl-status">Status</label>
          <select id="adm-wl-status" value={status} onChange={(e) => setStatus(e.target.value)} data-testid="worklist-status">
            <option value="">All</option>
            {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </div>
      {error && <Banner kind="error" testId="worklist-error">{error}</Banner>}
      {!items && !error && <p aria-busy="true">Loading…</p>}
      {items && (
        <table className="adm-table" data-testid="worklist-table">
          <thead><tr><th scope="col">Service date</th><th scope="col">Patient</th><th scope="col">Codes</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col"><span className="adm-sr">Actions</span></th></tr></thead>
          <tbody>
            {items.length === 0 && <tr><td colSpan={6} className="adm-muted">No claim drafts{status ? ` with status ${status}` : ''}.</td></tr>}
            {items.map((it) => (
              <tr key={it.visitKey} data-testid={`worklist-row-${it.visitKey}`}>
                <td>{it.serviceDate ?? '—'}</td>
                <td>{it.patientId ?? '—'}</td>
                <td>{codesOf(it)}</td>
                <td>{it.status ?? '—'}</td>
                <td>{formatTime(it.createdAt)}</td>
                <td><button type="button" className="adm-btn adm-btn--small" onClick={() => void open(it.visitKey)} data-testid={`worklist-open-${it.visitKey}`}>
                  Open Claim<span className="adm-sr"> {it.visitKey}</span></button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {claim && (
        <div className="adm-card" data-testid="worklist-claim" aria-labelledby="adm-wl-claim-h">
          <div className="adm-pagehead">
            <h2 id="adm-wl-claim-h">Claim {claim.visitKey}</h2>
            <div className="adm-actions">
              <button type="button" className="adm-btn" data-testid="worklist-claim-download"
                onClick={() => downloadText(`claim-${claim.visitKey}.json`, `${JSON.stringify(claim.json, null, 2)}\n`, 'application/fhir+json')}>Download FHIR JSON</button>
              <button type="button" className="adm-btn" onClick={() => setClaim(undefined)} data-testid="worklist-claim-close">Close</button>
            </div>
          </div>
          <pre className="adm-code adm-pre" tabIndex={0}>{JSON.stringify(claim.json, null, 2)}</pre>
        </div>
      )}
    </section>
  );
}
