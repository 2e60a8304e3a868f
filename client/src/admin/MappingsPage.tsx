/** Payer mappings: search, priority order, enabled switch, tie errors flagged, delete with confirmation. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PayerMapping } from '../../../server/contracts/index.js';
import type { AdminApi, PolicyInfo } from './api.js';
import type { Navigate } from './AdminApp.js';
import { describeMatch, findTies, searchMappings } from './mappingForm.js';
import { strings } from './strings.js';
import { Banner, Confirm } from './widgets.js';

export default function MappingsPage(props: { api: AdminApi; navigate: Navigate }) {
  const { api, navigate } = props;
  const [mappings, setMappings] = useState<PayerMapping[]>();
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [query, setQuery] = useState('');
  const [confirming, setConfirming] = useState<PayerMapping>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    const [m, p] = await Promise.all([api.listMappings(), api.policies()]);
    if (m.ok) { setMappings(m.data); setError(undefined); } else setError(m.message);
    if (p.ok) setPolicies(p.data);
  }, [api]);
  useEffect(() => { void load(); }, [load]);

  const ties = useMemo(() => findTies(mappings ?? []), [mappings]);
  const shown = useMemo(
    () => searchMappings(mappings ?? [], query).slice().sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id)),
    [mappings, query],
  );
  const policyName = (id: string) => policies.find((p) => p.id === id)?.name ?? id;

  const toggle = async (m: PayerMapping) => {
    setBusy(m.id); setNotice(undefined);
    const { id, version, ...input } = m;
    const r = await api.updateMapping(id, version, { ...input, enabled: !m.enabled });
    setBusy(undefined);
    if (r.ok) {
      setMappings((list) => list?.map((x) => (x.id === id ? r.data : x)));
      setNotice(`${r.data.enabled ? 'Enabled' : 'Disabled'} ${id}.`);
    } else if (r.kind === 'stale') {
      setMappings((list) => list?.map((x) => (x.id === id ? r.current : x)));
      setError(`${strings.stale} The list now shows the current version of ${id}; nothing was changed.`);
    } else setError(r.message);
  };

  const remove = async (m: PayerMapping) => {
    setBusy(m.id);
    const r = await api.deleteMapping(m.id, m.version);
    setBusy(undefined); setConfirming(undefined);
    if (r.ok || r.kind === 'not-found') {
      setMappings((list) => list?.filter((x) => x.id !== m.id));
      setNotice(`${strings.deleted} (${m.id})`);
    } else if (r.kind === 'stale') {
      setMappings((list) => list?.map((x) => (x.id === m.id ? r.current : x)));
      setError(`${strings.stale} Review the current version of ${m.id} before deleting it.`);
    } else setError(r.message);
  };

  return (
    <section data-testid="mappings-page" aria-labelledby="adm-mappings-h">
      <div className="adm-pagehead">
        <h1 id="adm-mappings-h">Payer mappings</h1>
        <button type="button" className="adm-btn adm-btn--primary" onClick={() => navigate('/admin/mappings/new')} data-testid="mappings-new">New mapping</button>
      </div>
      <p className="adm-muted">Each mapping sends the Coverages it matches to a policy module. The enabled mapping with the highest priority wins; two that match one Coverage at the same priority but send it to different policies are an error (flagged here and in Preview).</p>
      {error && <Banner kind="error" testId="mappings-error">{error}</Banner>}
      {notice && <Banner kind="success" testId="mappings-notice">{notice}</Banner>}
      {ties.size > 0 && (
        <Banner kind="error" testId="mappings-ties">
          {ties.size} enabled mapping{ties.size === 1 ? '' : 's'} share a priority with another that can match the same Coverage (flagged below). Give them different priorities or narrower match conditions.
        </Banner>
      )}
      <div className="adm-field adm-search">
        <label htmlFor="adm-map-search">Search payer, plan or policy</label>
        <input id="adm-map-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="mappings-search" />
      </div>
      {confirming && (
        <Confirm title={`Delete mapping ${confirming.id}?`} confirmLabel="Delete" busy={busy === confirming.id}
          onConfirm={() => void remove(confirming)} onCancel={() => setConfirming(undefined)}>
          Coverages it matches ({describeMatch(confirming.match)}) will fall to the next mapping, or to CPT rules only.
        </Confirm>
      )}
      {!mappings && !error && <p aria-busy="true">Loading…</p>}
      {mappings && (
        <table className="adm-table" data-testid="mappings-table">
          <caption className="adm-sr">Payer mappings, highest priority first</caption>
          <thead>
            <tr><th scope="col">Priority</th><th scope="col">Enabled</th><th scope="col">Matches</th><th scope="col">Policy</th><th scope="col">Line of business</th><th scope="col">Note</th><th scope="col"><span className="adm-sr">Actions</span></th></tr>
          </thead>
          <tbody>
            {shown.length === 0 && <tr><td colSpan={7} className="adm-muted">No mappings{query ? ` match “${query}”` : ''}.</td></tr>}
            {shown.map((m) => {
              const tie = ties.get(m.id);
              return (
                <tr key={m.id} data-testid={`mapping-row-${m.id}`} className={`${m.enabled ? '' : 'adm-disabled'}${tie ? ' adm-tie' : ''}`}>
                  <td className="adm-num">{m.priority}</td>
                  <td>
                    <button type="button" role="switch" aria-checked={m.enabled} className="adm-switch" disabled={busy === m.id}
                      aria-label={`${m.id} enabled`} onClick={() => void toggle(m)} data-testid={`mapping-enabled-${m.id}`}>
                      {m.enabled ? 'On' : 'Off'}
                    </button>
                  </td>
                  <td>
                    <div className="adm-id">{m.id}</div>
                    {describeMatch(m.match)}
                    {tie && <div className="adm-error" data-testid={`mapping-tie-${m.id}`}>Tie: same priority as {tie.join(', ')}</div>}
                  </td>
                  <td data-testid={`mapping-policy-${m.id}`}>{policyName(m.policyId)}</td>
                  <td>{m.lineOfBusiness}</td>
                  <td><div className="adm-note" title={m.note}>{m.note}</div></td>
                  <td><div className="adm-rowactions">
                    <a href={`/admin/mappings/${encodeURIComponent(m.id)}`} className="adm-btn adm-btn--small" data-testid={`mapping-edit-${m.id}`}
                      onClick={(e) => { e.preventDefault(); navigate(`/admin/mappings/${encodeURIComponent(m.id)}`); }}>Edit<span className="adm-sr"> {m.id}</span></a>
                    <button type="button" className="adm-btn adm-btn--small adm-btn--danger" onClick={() => setConfirming(m)} data-testid={`mapping-delete-${m.id}`}>
                      Delete<span className="adm-sr"> {m.id}</span>
                    </button>
                  </div></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
