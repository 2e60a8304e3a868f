/**
 * The suggested lines: accept box, code, modifiers, units, the descriptor and a one-sentence reason; "Why?" holds
 * the rest of the reasoning and the line's sources. Codes not covered follow, each with its reason.
 */
import type { Determination } from '../../../server/contracts/index';
import { Citations } from './Citations';

export const lineKey = (l: { code: string; modifiers: string[] }) => [l.code, ...l.modifiers].join('-');

/** The first sentence of a rationale and the rest (split at ". " before a capital, so "e.g. 62370" stays whole). */
export function splitRationale(text: string): [string, string] {
  const m = /^(.+?[.!?])\s+(?=[A-Z(“"])/.exec(text.trim());
  if (!m || m[1]!.length < 20) return [text.trim(), ''];
  return [m[1]!, text.trim().slice(m[0].length)];
}

interface Props {
  determination: Determination; accepted: Record<string, boolean>; onToggle(key: string, on: boolean): void; loading: boolean;
  /** codes changed by the last re-evaluation: briefly highlighted */
  changed?: readonly string[];
  /** the lines rest on a guess (e.g. no Device): each is marked provisional */
  provisional?: boolean;
}

export function LinesTable({ determination, accepted, onToggle, loading, changed = [], provisional = false }: Props) {
  return (
    <section className="card lines" data-testid="lines" data-state={loading ? 'loading' : 'ready'} aria-busy={loading} aria-labelledby="lines-h">
      <h2 id="lines-h">Suggested lines {loading ? <span className="updating" data-testid="evaluating">updating…</span> : null}</h2>
      {determination.lines.length === 0 ? <p data-testid="no-lines">No billable line follows from these facts.</p> : (
        <table>
          <thead><tr><th scope="col">Bill</th><th scope="col">Code</th><th scope="col">Mod.</th><th scope="col">Units</th><th scope="col">What and why</th></tr></thead>
          <tbody>
            {determination.lines.map((l) => {
              const key = lineKey(l);
              const [first, rest] = splitRationale(l.rationale);
              const on = accepted[key] ?? true;
              return (
                <tr key={key} data-testid="line" data-code={l.code} data-accepted={String(on)}
                  className={`${changed.includes(l.code) ? 'changed' : ''}${on ? '' : ' rejected'}`}>
                  <td><input type="checkbox" aria-label={`Bill ${l.code}`} data-testid={`line-accept-${l.code}`} checked={on} onChange={(e) => onToggle(key, e.target.checked)} /></td>
                  <td className="code">{l.code}<span className="muted"> {l.system}</span>{provisional ? <span className="badge-warn"> provisional</span> : null}</td>
                  <td>{l.modifiers.join(', ') || '—'}</td>
                  <td>{l.units}</td>
                  <td>
                    <span className="display" title={l.display}>{l.display}</span>
                    <p className="rationale">{first}</p>
                    {(
                      <details className="why" data-testid="line-why">
                        <summary>Why?</summary>
                        <p className="rationale-rest">{l.code}: {l.display}</p>
                        {rest ? <p className="rationale-rest">{rest}</p> : null}
                        <Citations citations={l.citations} />
                      </details>
                    )}
                  </td>
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
