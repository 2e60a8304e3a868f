/**
 * The billing worklist: one row per visit whose note reached the EHR (or whose note failed, shown as such), on its
 * current Claim version. Filter by status, page through, open a Claim (never changes its status), export CSV of
 * exactly what the filter shows, then confirm before those N items are marked exported.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AdminApi, WorklistItem } from './api.js';
import { Banner, Confirm, downloadText, formatTime } from './widgets.js';

const PAGE = 50;
const STATUSES: { value: string; label: string }[] = [
  { value: 'draft', label: 'Ready to bill' },
  { value: 'exported', label: 'Exported' },
  { value: 'written-to-ehr', label: 'Claim in the EHR' },
  { value: 'note-failed', label: 'Note failed' },
];
const statusLabel = (s?: string) => STATUSES.find((x) => x.value === s)?.label ?? s ?? '—';
/** "62370-26 ×1, J2275 ×20" */
const codesOf = (item: WorklistItem) => (item.codes ?? []).map((c) => (typeof c === 'string' ? c
  : `${c.code}${c.modifiers?.length ? `-${c.modifiers.join('-')}` : ''}${c.units ? ` ×${c.units}` : ''}`)).join(', ');

type Row = WorklistItem & {
  patientName?: string; patientMrn?: string; payer?: string; noteStatus?: string; currentVersion?: number; versionCount?: number;
  changedAfterExport?: boolean;
};

export default function WorklistPage(props: { api: AdminApi }) {
  const { api } = props;
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: Row[]; total: number }>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirm, setConfirm] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [claim, setClaim] = useState<{ visitKey: string; json: Record<string, unknown> }>();

  const load = useCallback(async (s: string, o: number) => {
    setError(undefined);
    const r = await api.worklistPage({ ...(s ? { status: s } : {}), limit: PAGE, offset: o });
    if (r.ok) setPage(r.data as { items: Row[]; total: number }); else setError(r.message);
  }, [api]);
  useEffect(() => { void load(status, offset); }, [load, status, offset]);

  const open = async (visitKey: string) => {
    const r = await api.claim(visitKey);
    if (r.ok) setClaim({ visitKey, json: r.data }); else setError(r.message);
  };
  const exportCsv = async () => {
    setNotice(undefined);
    const r = await api.worklistCsv(status || undefined);
    if (!r.ok) { setError(r.message); return; }
    downloadText(`worklist${status ? `-${status}` : ''}-${new Date().toISOString().slice(0, 10)}.csv`, r.data, 'text/csv');
    const n = page?.total ?? 0;
    if (n > 0) setConfirm(n);
  };
  const markExported = async (n: number) => {
    setBusy(true);
    const r = await api.markWorklistExported(status || undefined, n);
    setBusy(false);
    setConfirm(undefined);
    if (r.ok) { setNotice(`${r.data.exported} item${r.data.exported === 1 ? '' : 's'} marked exported.`); void load(status, offset); } else setError(r.message);
  };
  const total = page?.total ?? 0;

  return (
    <section data-testid="worklist-page" aria-labelledby="adm-wl-h">
      <div className="adm-pagehead">
        <h1 id="adm-wl-h">Billing worklist</h1>
        <button type="button" className="adm-btn" onClick={() => void exportCsv()} data-testid="worklist-export-csv" disabled={!page}>
          Export CSV{page ? ` (${total})` : ''}</button>
      </div>
      <div className="adm-filters">
        <div className="adm-field">
          <label htmlFor="adm-wl-status">Status</label>
          <select id="adm-wl-status" value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0); }} data-testid="worklist-status">
            <option value="">All</option>
            {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </div>
      </div>
      {error && <Banner kind="error" testId="worklist-error">{error}</Banner>}
      {notice && <Banner kind="success" testId="worklist-notice">{notice}</Banner>}
      {confirm !== undefined && (
        <Confirm title="Mark as exported?" confirmLabel={`Mark ${confirm} exported`} busy={busy}
          onConfirm={() => void markExported(confirm)} onCancel={() => setConfirm(undefined)}>
          <p data-testid="worklist-export-confirm">The CSV holds {confirm} item{confirm === 1 ? '' : 's'} ({status ? statusLabel(status) : 'all statuses'}).
            Mark {confirm === 1 ? 'it' : 'them'} exported now? Choose Cancel if the file did not reach your billing system.</p>
        </Confirm>
      )}
      {!page && !error && <p aria-busy="true">Loading…</p>}
      {page && (
        <>
          <table className="adm-table" data-testid="worklist-table">
            <thead><tr><th scope="col">Service date</th><th scope="col">Patient</th><th scope="col">MRN</th><th scope="col">Payer</th>
              <th scope="col">Codes</th><th scope="col">Status</th><th scope="col">Note</th><th scope="col">Version</th><th scope="col">Created</th>
              <th scope="col"><span className="adm-sr">Actions</span></th></tr></thead>
            <tbody>
              {page.items.length === 0 && <tr><td colSpan={10} className="adm-muted">No claim drafts{status ? ` with status “${statusLabel(status)}”` : ''}.</td></tr>}
              {page.items.map((it) => (
                <tr key={it.visitKey} data-testid={`worklist-row-${it.visitKey}`} data-status={it.status}>
                  <td>{it.serviceDate ?? '—'}</td>
                  <td>{it.patientName ?? <span className="adm-muted">{it.patientId ?? '—'}</span>}</td>
                  <td>{it.patientMrn ?? '—'}</td>
                  <td>{it.payer ?? '—'}</td>
                  <td>{codesOf(it)}</td>
                  <td>{statusLabel(it.status)}</td>
                  <td data-testid="worklist-note">{it.noteStatus === 'failed' ? 'Note failed' : it.noteStatus === 'written' ? 'Written' : '—'}</td>
                  <td data-testid="worklist-version">
                    {it.currentVersion ? `v${it.currentVersion}${it.versionCount && it.versionCount > 1 ? ` of ${it.versionCount}` : ''}` : '—'}
                    {it.changedAfterExport ? <strong className="adm-warn"> changed after export</strong> : null}
                  </td>
                  <td>{formatTime(it.createdAt)}</td>
                  <td><button type="button" className="adm-btn adm-btn--small" onClick={() => void open(it.visitKey)} data-testid={`worklist-open-${it.visitKey}`}>
                    Open Claim<span className="adm-sr"> {it.patientName ?? it.visitKey}</span></button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="adm-actions" aria-label="Worklist pages">
            <button type="button" className="adm-btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="worklist-prev">Previous</button>
            <span data-testid="worklist-range">{total === 0 ? '0' : `${offset + 1}–${Math.min(offset + PAGE, total)}`} of {total}</span>
            <button type="button" className="adm-btn" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="worklist-next">Next</button>
          </nav>
        </>
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
