/**
 * Codes already on the record (Procedure CPT codes) or typed by the clinician, next to the suggested ones.
 * A typed code goes to the engine as a proposed code: if it is not suggested, a warning says why.
 */
import { useState } from 'react';
import type { Determination, VisitFacts } from '../../../server/contracts/index';
import { addProposedCode, removeProposedCode, type Overrides } from '../review/overrides';

const fmt = (c: { code: string; modifiers?: string[]; units?: number }) =>
  `${c.code}${c.modifiers?.length ? `-${c.modifiers.join('-')}` : ''}${c.units && c.units > 1 ? ` ×${c.units}` : ''}`;

interface Props { facts: VisitFacts; determination: Determination; overrides: Overrides; onChange(next: Overrides): void }

export function CodesCompare({ facts, determination, overrides, onChange }: Props) {
  const [code, setCode] = useState('');
  const [modifiers, setModifiers] = useState('');
  const [error, setError] = useState<string | undefined>();
  const current = facts.proposedCodes ?? [];
  const proposed = Array.isArray(overrides.proposedCodes) ? overrides.proposedCodes as typeof current : current;
  const suggested = new Set(determination.lines.map((l) => l.code));
  const proposedSet = new Set(proposed.map((p) => p.code));

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    const result = addProposedCode(overrides, current, code, modifiers);
    if ('error' in result) { setError(result.error); return; }
    setError(undefined); setCode(''); setModifiers('');
    onChange(result.overrides);
  };

  return (
    <section className="card" data-testid="codes-compare">
      <h2>On the record vs suggested</h2>
      <div className="compare">
        <div><h3>On the record or typed</h3>
          {proposed.length === 0 ? <p className="muted">No codes on the record.</p> : (
            <ul>{proposed.map((p, i) => (
              <li key={`${p.code}-${i}`} data-testid="proposed-code" data-code={p.code} className={suggested.has(p.code) ? 'same' : 'differs'}>
                {fmt(p)}{suggested.has(p.code) ? '' : ' — not suggested (see the warnings)'}{' '}
                <button type="button" className="link" data-testid={`remove-proposed-${p.code}`} aria-label={`Remove ${p.code}`}
                  onClick={() => onChange(removeProposedCode(overrides, current, i))}>remove</button>
              </li>
            ))}</ul>
          )}
        </div>
        <div><h3>Suggested</h3>
          <ul>{determination.lines.map((l, i) => <li key={i} data-testid="suggested-code" data-code={l.code} className={proposedSet.has(l.code) || proposed.length === 0 ? 'same' : 'differs'}>{fmt(l)}</li>)}</ul>
        </div>
      </div>
      <form className="add-code" onSubmit={add}>
        <label>Check a code <input data-testid="add-proposed-code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="e.g. 62370" size={8} /></label>
        <label>Modifiers <input data-testid="add-proposed-modifiers" value={modifiers} onChange={(e) => setModifiers(e.target.value)} placeholder="e.g. 25" size={6} /></label>
        <button type="submit" data-testid="add-proposed-code-button">Check</button>
        {error && <p className="error" role="alert" data-testid="add-proposed-code-error">{error}</p>}
      </form>
    </section>
  );
}
