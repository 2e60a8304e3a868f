/**
 * The visit facts the record cannot settle, with controls to correct them, and every fact's source.
 * Values shown are the clinician's own while typing (overrides), otherwise the evaluated facts.
 */
import type { FactSources, VisitFacts } from '../../../server/contracts/index';
import { setDrugOverride, setOverride, type Overrides } from '../review/overrides';
import { SourceBadge } from './SourceBadge';

interface Props { facts: VisitFacts; sources: FactSources; overrides: Overrides; onChange(next: Overrides): void }

function get(o: Overrides, path: string[]): unknown {
  let cur: unknown = o;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

const ROLES: VisitFacts['performer']['role'][] = ['physician', 'nurse-practitioner', 'physician-assistant', 'clinical-nurse-specialist', 'registered-nurse', 'medical-assistant', 'other'];

export function FactsPanel({ facts, sources, overrides, onChange }: Props) {
  const val = <T,>(path: string[], fallback: T): T => (get(overrides, path) as T | undefined) ?? fallback;
  const set = (path: string[], v: unknown) => onChange(setOverride(overrides, path, v));
  // every control is named by its label (htmlFor → id), so screen readers and voice control can reach it
  const row = (path: string, label: string, control: (id: string) => React.ReactElement) => {
    const id = `fact-input-${path.replace(/[^A-Za-z0-9]/g, '-')}`;
    const status = sources[path]?.status;
    return (
      <div className={`fact${status === 'default' || status === 'derived' ? ' confirm' : ''}`} data-fact={path}>
        <label htmlFor={id}>{label}</label>
        <div className="control">{control(id)}</div>
        <SourceBadge source={sources[path]} path={path} />
      </div>
    );
  };
  const s = facts.services;
  const p = facts.performer;
  const onSite = val(['performer', 'supervisingPhysicianOnSite'], p.supervisingPhysicianOnSite);
  const em = facts.separateEvaluation;
  return (
    <section className="card facts" data-testid="facts" aria-labelledby="facts-h">
      <h2 id="facts-h">Visit facts</h2>
      <p className="muted">Date of service {facts.serviceDate}{facts.placeOfService ? `, place of service ${facts.placeOfService}` : ''}. Facts marked “please confirm” are defaults the record could not settle.</p>
      {row('services.refill', 'Pump refilled', (id) => <input id={id} type="checkbox" data-testid="fact-refill" checked={val(['services', 'refill'], s.refill)} onChange={(e) => set(['services', 'refill'], e.target.checked)} />)}
      {row('services.electronicAnalysis', 'Electronic analysis (interrogation)', (id) => <input id={id} type="checkbox" data-testid="fact-electronic-analysis" checked={val(['services', 'electronicAnalysis'], s.electronicAnalysis)} onChange={(e) => set(['services', 'electronicAnalysis'], e.target.checked)} />)}
      {row('services.analysisReason', 'Why the pump was analysed', (id) => <input id={id} type="text" data-testid="fact-analysis-reason" value={val(['services', 'analysisReason'], s.analysisReason ?? '')} onChange={(e) => set(['services', 'analysisReason'], e.target.value || undefined)} />)}
      {row('services.reprogramming', 'Dose changed? (reprogramming)', (id) => (
        <select id={id} data-testid="fact-reprogramming" value={val(['services', 'reprogramming'], s.reprogramming)} onChange={(e) => set(['services', 'reprogramming'], e.target.value)}>
          <option value="none">No reprogramming</option>
          <option value="rate-or-dose-change">Rate or dose changed</option>
          <option value="settings-update-only">Settings update only (refill date, contents, alarms)</option>
        </select>
      ))}
      {row('performer.role', 'Performed by', (id) => (
        <select id={id} data-testid="fact-performer-role" value={val(['performer', 'role'], p.role)} onChange={(e) => set(['performer', 'role'], e.target.value)}>
          {ROLES.map((r) => <option key={r} value={r}>{r.replace(/-/g, ' ')}</option>)}
        </select>
      ))}
      {row('performer.physicianSkillRequired', 'Physician skill required', (id) => <input id={id} type="checkbox" data-testid="fact-physician-skill" checked={val(['performer', 'physicianSkillRequired'], p.physicianSkillRequired)} onChange={(e) => set(['performer', 'physicianSkillRequired'], e.target.checked)} />)}
      {row('performer.physicianSkillReason', 'Why physician skill was required', (id) => <input id={id} type="text" data-testid="fact-physician-skill-reason" value={val(['performer', 'physicianSkillReason'], p.physicianSkillReason ?? '')} onChange={(e) => set(['performer', 'physicianSkillReason'], e.target.value || undefined)} />)}
      {row('performer.supervisingPhysicianOnSite', 'Supervising physician on site', (id) => (
        <select id={id} data-testid="fact-supervising-on-site" value={onSite === undefined ? 'unknown' : onSite ? 'yes' : 'no'}
          onChange={(e) => set(['performer', 'supervisingPhysicianOnSite'], e.target.value === 'unknown' ? undefined : e.target.value === 'yes')}>
          <option value="unknown">Unknown</option><option value="yes">Yes</option><option value="no">No</option>
        </select>
      ))}
      {facts.drugs.map((d, i) => (
        <div key={i}>
          {row(`drugs.${i}.purchasedBy`, `Who bought ${d.name} (${d.amount} ${d.unit}${d.hcpcs ? `, ${d.hcpcs}` : ''})`, (id) => (
            <select id={id} data-testid={`fact-drug-purchased-by-${i}`} value={(Array.isArray(overrides.drugs) ? (overrides.drugs as VisitFacts['drugs'])[i]?.purchasedBy : undefined) ?? d.purchasedBy}
              onChange={(e) => onChange(setDrugOverride(overrides, facts.drugs, i, { purchasedBy: e.target.value as VisitFacts['drugs'][number]['purchasedBy'] }))}>
              <option value="practice">The practice</option><option value="pharmacy">A pharmacy</option>
              <option value="patient">The patient</option><option value="unknown">Unknown</option>
            </select>
          ))}
        </div>
      ))}
      {facts.drugs.length > 0 ? row('drugOnSeparateClaim', 'Drug billed on a separate claim', (id) => <input id={id} type="checkbox" data-testid="fact-drug-separate-claim" checked={val(['drugOnSeparateClaim'], facts.drugOnSeparateClaim ?? false)} onChange={(e) => set(['drugOnSeparateClaim'], e.target.checked)} />) : null}
      {row('separateEvaluation.performed', 'Separate E/M for another problem', (id) => <input id={id} type="checkbox" data-testid="fact-separate-em" checked={val(['separateEvaluation', 'performed'], em.performed)} onChange={(e) => set(['separateEvaluation', 'performed'], e.target.checked)} />)}
      {val(['separateEvaluation', 'performed'], em.performed) ? <>
        {row('separateEvaluation.code', 'E/M code', (id) => <input id={id} type="text" data-testid="fact-separate-em-code" value={val(['separateEvaluation', 'code'], em.code ?? '')} onChange={(e) => set(['separateEvaluation', 'code'], e.target.value || undefined)} />)}
        {row('separateEvaluation.reason', 'The separate problem', (id) => <input id={id} type="text" data-testid="fact-separate-em-reason" value={val(['separateEvaluation', 'reason'], em.reason ?? '')} onChange={(e) => set(['separateEvaluation', 'reason'], e.target.value || undefined)} />)}
      </> : null}
      <details className="all-sources">
        <summary>All facts and where they came from</summary>
        <table data-testid="fact-sources">
          <tbody>
            {Object.entries(sources).sort(([a], [b]) => a.localeCompare(b)).map(([path, src]) => (
              <tr key={path} data-fact-source={path} className={src.status === 'default' ? 'confirm' : ''}>
                <th scope="row">{path}</th><td><SourceBadge source={src} path={path} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
