/**
 * Payer mappings in billing language: name, payer, policy title, line of business, states, priority, enabled;
 * filters by payer, policy, state and enabled besides the search; ties named; delete with confirmation.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PayerMapping } from '../../../server/contracts/index.js';
import { lineOfBusinessLabel, mappingLabel } from '../../../server/contracts/mappingTies.js';
import type { AdminApi, PolicyInfo, TiedMapping } from './api.js';
import type { Navigate } from './AdminApp.js';
import { describeMatch, filterMappings, findTies, noFilters, payerChoices, payerOf, stateChoices, type MappingFilters } from './mappingForm.js';
import { strings } from './strings.js';
import { Banner, Confirm } from './widgets.js';

export default function MappingsPage(props: { api: AdminApi; navigate: Navigate }) {
  const { api, navigate } = props;
  const [mappings, setMappings] = useState<PayerMapping[]>();
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [filters, setFilters] = useState<MappingFilters>(noFilters);
  const [confirming, setConfirming] = useState<PayerMapping>();
  const [tieAsk, setTieAsk] = useState<{ mapping: PayerMapping; ties: TiedMapping[]; message: string }>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    const [m, p] = await Promise.all([api.listMappings(), api.policies()]);
    if (m.ok) { setMappings(m.data); setError(undefined); } else setError(m.message);
    if (p.ok) setPolicies(p.data);
  }, [api]);
  useEffect(() => { void load(); }, [load]);

  const policyName = useCallback((id: string) => policies.find((p) => p.id === id)?.name ?? id, [policies]);
  const ties = useMemo(() => findTies(mappings ?? []), [mappings]);
  const shown = useMemo(
    () => filterMappings(mappings ?? [], filters, policyName).slice().sort((a, b) => b.priority - a.priority || mappingLabel(a).localeCompare(mappingLabel(b))),
    [mappings, filters, policyName],
  );
  const payers = useMemo(() => payerChoices(mappings ?? []), [mappings]);
  const states = useMemo(() => stateChoices(mappings ?? []), [mappings]);
  const byId = useMemo(() => new Map((mappings ?? []).map((m) => [m.id, m])), [mappings]);
  const label = (id: string) => { const m = byId.get(id); return m ? mappingLabel(m) : id; };
  const setFilter = <K extends keyof MappingFilters>(k: K, v: MappingFilters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const filtered = filters.query || filters.payer || filters.policyId || filters.state || filters.enabled;

  const toggle = async (m: PayerMapping, confirmTie = false) => {
    setBusy(m.id); setNotice(undefined); setTieAsk(undefined);
    const { id, version, ...input } = m;
    const r = await api.updateMapping(id, version, { ...input, enabled: !m.enabled }, { confirmTie });
    setBusy(undefined);
    if (r.ok) {
      setMappings((list) => list?.map((x) => (x.id === id ? r.data : x)));
      setNotice(`${r.data.enabled ? 'Turned on' : 'Turned off'} '${mappingLabel(r.data)}'.`);
    } else if (r.kind === 'tie') {
      setTieAsk({ mapping: m, ties: r.ties, message: r.message });
    } else if (r.kind === 'stale') {
      setMappings((list) => list?.map((x) => (x.id === id ? r.current : x)));
      setError(`${strings.stale} The list now shows the current version of '${mappingLabel(r.current)}'; nothing was changed.`);
    } else setError(r.message);
  };

  const remove = async (m: PayerMapping) => {
    setBusy(m.id);
    const r = await api.deleteMapping(m.id, m.version);
    setBusy(undefined); setConfirming(undefined);
    if (r.ok || r.kind === 'not-found') {
      setMappings((list) => list?.filter((x) => x.id !== m.id));
      setNotice(`${strings.deleted} ('${mappingLabel(m)}')`);
    } else if (r.kind === 'stale') {
      setMappings((list) => list?.map((x) => (x.id === m.id ? r.current : x)));
      setError(`${strings.stale} Review the current version of '${mappingLabel(r.current)}' before deleting it.`);
    } else setError(r.message);
  };

  return (
    <section data-testid="mappings-page" aria-labelledby="adm-mappings-h">
      <div className="adm-pagehead">
        <h1 id="adm-mappings-h">Payer mappings</h1>
        <button type="button" className="adm-btn adm-btn--primary" onClick={() => navigate('/admin/mappings/new')} data-testid="mappings-new">New mapping</button>
      </div>
      <p className="adm-muted">Each mapping sends the coverages it matches to a payer policy. The mapping with the highest priority that is on wins.
        Two that can match the same coverage at the same priority but send it to different policies tie: the visit then gets CPT-only rules until you choose.</p>
      {error && <Banner kind="error" testId="mappings-error">{error}</Banner>}
      {notice && <Banner kind="success" testId="mappings-notice">{notice}</Banner>}
      {ties.size > 0 && (
        <Banner kind="error" testId="mappings-ties">
          {ties.size} mapping{ties.size === 1 ? '' : 's'} tie with another at the same priority (marked below). A tied visit gets CPT-only rules:
          give one of them another priority or narrower conditions, or turn one off.
        </Banner>
      )}
      {tieAsk && (
        <Confirm title={`Turning on '${mappingLabel(tieAsk.mapping)}' makes a tie`} confirmLabel="Turn on anyway" testId="confirm-tie"
          busy={busy === tieAsk.mapping.id} onConfirm={() => void toggle(tieAsk.mapping, true)} onCancel={() => setTieAsk(undefined)}>
          <p>It would tie with {tieAsk.ties.map((t) => `'${t.label ?? t.name ?? t.id}'`).join(', ')} at priority {tieAsk.mapping.priority}.
            Visits both match would get CPT-only rules until an administrator chooses.</p>
        </Confirm>
      )}
      <form className="adm-filters" role="search" aria-label="Filter mappings" onSubmit={(e) => e.preventDefault()} data-testid="mappings-filters">
        <div className="adm-field adm-search">
          <label htmlFor="adm-map-search">Search</label>
          <input id="adm-map-search" type="search" value={filters.query} onChange={(e) => setFilter('query', e.target.value)}
            placeholder="Name, payer, plan or policy" data-testid="mappings-search" />
        </div>
        <FilterSelect id="adm-map-payer" label="Payer" testid="mappings-filter-payer" value={filters.payer} onChange={(v) => setFilter('payer', v)}
          options={[['', 'All payers'], ...payers.map((p): [string, string] => [p, p])]} />
        <FilterSelect id="adm-map-policy" label="Policy" testid="mappings-filter-policy" value={filters.policyId} onChange={(v) => setFilter('policyId', v)}
          options={[['', 'All policies'], ...[...new Set((mappings ?? []).map((m) => m.policyId))].map((id): [string, string] => [id, policyName(id)])]} />
        <FilterSelect id="adm-map-state" label="State" testid="mappings-filter-state" value={filters.state} onChange={(v) => setFilter('state', v)}
          options={[['', 'All states'], ...states.map((st): [string, string] => [st, st])]} />
        <FilterSelect id="adm-map-enabled" label="On or off" testid="mappings-filter-enabled" value={filters.enabled}
          onChange={(v) => setFilter('enabled', v as MappingFilters['enabled'])}
          options={[['', 'On and off'], ['on', 'On only'], ['off', 'Off only']]} />
        {filtered && <button type="button" className="adm-btn" onClick={() => setFilters(noFilters)} data-testid="mappings-filter-clear">Clear filters</button>}
      </form>
      {confirming && (
        <Confirm title={`Delete mapping '${mappingLabel(confirming)}'?`} confirmLabel="Delete" busy={busy === confirming.id}
          onConfirm={() => void remove(confirming)} onCancel={() => setConfirming(undefined)}>
          Coverages it matches ({describeMatch(confirming.match)}) will fall to the next mapping, or to CPT rules only.
        </Confirm>
      )}
      {!mappings && !error && <p aria-busy="true">Loading…</p>}
      {mappings && (
        <>
          <p className="adm-muted" aria-live="polite" data-testid="mappings-count">
            {filtered ? `${shown.length} of ${mappings.length} mappings shown` : `${mappings.length} mappings`}
          </p>
          <table className="adm-table" data-testid="mappings-table">
            <caption className="adm-sr">Payer mappings, highest priority first</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Payer</th><th scope="col">Policy</th><th scope="col">Line of business</th>
                <th scope="col">States</th><th scope="col" className="adm-num">Priority</th><th scope="col">On</th><th scope="col"><span className="adm-sr">Actions</span></th></tr>
            </thead>
            <tbody>
              {shown.length === 0 && <tr><td colSpan={8} className="adm-muted">No mappings match these filters.</td></tr>}
              {shown.map((m) => {
                const tie = ties.get(m.id);
                const name = mappingLabel(m);
                return (
                  <tr key={m.id} data-testid={`mapping-row-${m.id}`} className={`${m.enabled ? '' : 'adm-disabled'}${tie ? ' adm-tie' : ''}`}>
                    <th scope="row">
                      <span data-testid={`mapping-name-${m.id}`}>{name}</span>
                      <div className="adm-hint">{describeMatch(m.match)}</div>
                      {tie && <div className="adm-error" data-testid={`mapping-tie-${m.id}`}>Ties with {tie.map((t) => `'${label(t)}'`).join(', ')}</div>}
                    </th>
                    <td>{payerOf(m)}</td>
                    <td data-testid={`mapping-policy-${m.id}`}>{policyName(m.policyId)}</td>
                    <td>{lineOfBusinessLabel(m.lineOfBusiness)}</td>
                    <td>{m.match.states?.length ? m.match.states.join(', ') : 'all'}</td>
                    <td className="adm-num">{m.priority}</td>
                    <td>
                      <button type="button" role="switch" aria-checked={m.enabled} className="adm-switch" disabled={busy === m.id}
                        aria-label={`${name}: on`} onClick={() => void toggle(m)} data-testid={`mapping-enabled-${m.id}`}>
                        {m.enabled ? 'On' : 'Off'}
                      </button>
                    </td>
                    <td><div className="adm-rowactions">
                      <a href={`/admin/mappings/${encodeURIComponent(m.id)}`} className="adm-btn adm-btn--small" data-testid={`mapping-edit-${m.id}`}
                        onClick={(e) => { e.preventDefault(); navigate(`/admin/mappings/${encodeURIComponent(m.id)}`); }}>Edit<span className="adm-sr"> {name}</span></a>
                      <button type="button" className="adm-btn adm-btn--small adm-btn--danger" onClick={() => setConfirming(m)} data-testid={`mapping-delete-${m.id}`}>
                        Delete<span className="adm-sr"> {name}</span>
                      </button>
                    </div></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** one labelled filter of the mappings list: [value, words] options */
function FilterSelect({ id, label, testid, value, onChange, options }: {
  id: string; label: string; testid: string; value: string; onChange(value: string): void; options: [string, string][];
}) {
  return (
    <div className="adm-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testid}>
        {options.map(([v, words]) => <option key={v} value={v}>{words}</option>)}
      </select>
    </div>
  );
}
