/** The suggested lines with an "accept" box each, and the codes not covered with their reasons. */
import type { Determination } from '../../../server/contracts/index';
import { Citations } from './Citations';

export const lineKey = (l: { code: string; modifiers: string[] }) => [l.code, ...l.modifiers].join('-');

interface Props { determination: Determination; accepted: Record<string, boolean>; onToggle(key: string, on: boolean): void; loading: boolean }

export function LinesTable({ determination, accepted, onToggle, loading }: Props) {
  return (
    <section className="card lines" data-testid="lines" data-state={loading ? 'loading' : 'ready'} aria-busy={loading}>
      <h2>Suggested lines {loading ? <span className="updating" data-testid="evaluating">updating…</span> : null}</h2>
      {determination.lines.length === 0 ? <p data-testid="no-lines">No billable line follows from these facts.</p> : (
        <table>
          <thead><tr><th>Accept</th><th>Code</th><th>Modifiers</th><th>Units</th><th>Description and rationale</th></tr></thead>
          <tbody>
            {determination.lines.map((l) => {
              const key = lineKey(l);
              return (
                <tr key={key} data-testid="line" data-code={l.code} data-accepted={String(accepted[key] ?? true)}>
                  <td><input type="checkbox" aria-label={`Accept ${l.code}`} data-testid={`line-accept-${l.code}`} checked={accepted[key] ?? true} onChange={(e) => onToggle(key, e.target.checked)} /></td>
                  <td className="code">{l.code}<span className="muted"> {l.system}</span></td>
                  <td>{l.modifiers.join(', ') || '—'}</td>
                  <td>{l.units}</td>
                  <td><strong>{l.display}</strong><p className="rationale">{l.rationale}</p><Citations citations={l.citations} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {determination.notCovered.length > 0 ? <>
        <h3>Not covered</h3>
        <ul className="not-covered">
          {determination.notCovered.map((n) => (
            <li key={n.code} data-testid="not-covered" data-code={n.code}><span className="code">{n.code}</span> — {n.reason}<Citations citations={n.citations} /></li>
          ))}
        </ul>
      </> : null}
    </section>
  );
}
