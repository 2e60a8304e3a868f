/** Codes already on the record (or typed) next to the suggested ones. */
import type { Determination, VisitFacts } from '../../../server/contracts/index';

const fmt = (c: { code: string; modifiers?: string[]; units?: number }) =>
  `${c.code}${c.modifiers?.length ? `-${c.modifiers.join('-')}` : ''}${c.units && c.units > 1 ? ` ×${c.units}` : ''}`;

export function CodesCompare({ facts, determination }: { facts: VisitFacts; determination: Determination }) {
  const proposed = facts.proposedCodes ?? [];
  const suggested = new Set(determination.lines.map((l) => l.code));
  const proposedSet = new Set(proposed.map((p) => p.code));
  return (
    <section className="card" data-testid="codes-compare">
      <h2>On the record vs suggested</h2>
      <div className="compare">
        <div><h3>On the record</h3>
          {proposed.length === 0 ? <p className="muted">No codes on the record.</p> : (
            <ul>{proposed.map((p, i) => <li key={i} data-testid="proposed-code" data-code={p.code} className={suggested.has(p.code) ? 'same' : 'differs'}>{fmt(p)}{suggested.has(p.code) ? '' : ' — not suggested'}</li>)}</ul>
          )}
        </div>
        <div><h3>Suggested</h3>
          <ul>{determination.lines.map((l, i) => <li key={i} data-testid="suggested-code" data-code={l.code} className={proposedSet.has(l.code) || proposed.length === 0 ? 'same' : 'differs'}>{fmt(l)}</li>)}</ul>
        </div>
      </div>
    </section>
  );
}
