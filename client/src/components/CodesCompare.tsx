/**
 * Codes already on the record (Procedure CPT codes) or typed by the clinician, next to the suggested ones.
 * "Check" answers beside the input — is the code suggested, and if not, why — without changing the claim; only
 * "Add" puts the code on the record's list, where the engine keeps warning about it.
 */
import { useId, useState } from 'react';
import type { Determination, EvaluateResponse, VisitFacts } from '../../../server/contracts/index';
import { addProposedCode, removeProposedCode, type Overrides } from '../review/overrides';

const fmt = (c: { code: string; modifiers?: string[]; units?: number }) =>
  `${c.code}${c.modifiers?.length ? `-${c.modifiers.join('-')}` : ''}${c.units && c.units > 1 ? ` ×${c.units}` : ''}`;

interface Props {
  facts: VisitFacts; determination: Determination; overrides: Overrides; onChange(next: Overrides): void;
  /** evaluates with these overrides without touching the review (the "what if" of Check) */
  check(overrides: Overrides): Promise<EvaluateResponse>;
}

interface Answer { code: string; suggested: boolean; reasons: string[]; add: Overrides }

/** What the engine says about `code` when it is proposed: a line, or the warnings and not-covered reasons naming it. */
export function answerFor(code: string, r: EvaluateResponse): { suggested: boolean; reasons: string[] } {
  if (r.determination.lines.some((l) => l.code === code)) return { suggested: true, reasons: [] };
  const reasons = [
    ...r.determination.notCovered.filter((n) => n.code === code).map((n) => n.reason),
    ...r.determination.warnings.filter((w) => w.message.includes(code)).map((w) => w.message),
  ];
  return { suggested: false, reasons: [...new Set(reasons)] };
}

export function CodesCompare({ facts, determination, overrides, onChange, check }: Props) {
  const [code, setCode] = useState('');
  const [modifiers, setModifiers] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [answer, setAnswer] = useState<Answer | undefined>();
  const [checking, setChecking] = useState(false);
  const codeId = useId();
  const modId = useId();
  const current = facts.proposedCodes ?? [];
  const proposed = Array.isArray(overrides.proposedCodes) ? overrides.proposedCodes as typeof current : current;
  const suggested = new Set(determination.lines.map((l) => l.code));
  const proposedSet = new Set(proposed.map((p) => p.code));

  const onCheck = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = addProposedCode(overrides, current, code, modifiers);
    if ('error' in result) { setError(result.error); setAnswer(undefined); return; }
    setError(undefined);
    const typed = code.trim().toUpperCase();
    setChecking(true);
    try {
      const r = await check(result.overrides);
      setAnswer({ code: typed, ...answerFor(typed, r), add: result.overrides });
    } catch {
      setError('The code could not be checked just now; try again.');
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="card" data-testid="codes-compare" aria-labelledby="compare-h">
      <h2 id="compare-h">On the record vs suggested</h2>
      <div className="compare">
        <div><h3>On the record or added</h3>
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
      <form className="add-code" onSubmit={(e) => void onCheck(e)}>
        <label htmlFor={codeId}>Check a code</label>
        <input id={codeId} data-testid="add-proposed-code" value={code} onChange={(e) => { setCode(e.target.value); setAnswer(undefined); }} placeholder="e.g. 62370" size={8} />
        <label htmlFor={modId}>Modifiers</label>
        <input id={modId} data-testid="add-proposed-modifiers" value={modifiers} onChange={(e) => { setModifiers(e.target.value); setAnswer(undefined); }} placeholder="e.g. 25" size={6} />
        <button type="submit" data-testid="add-proposed-code-button" aria-busy={checking}>{checking ? 'Checking…' : 'Check'}</button>
        <div className="check-answer" role="status" aria-live="polite" data-testid="check-code-status">
          {error ? <p className="error" data-testid="add-proposed-code-error">{error}</p> : null}
          {answer ? (
            <div data-testid="check-code-answer" data-code={answer.code} data-suggested={String(answer.suggested)}>
              <p>{answer.suggested
                ? `${answer.code} is among the suggested lines for these facts.`
                : `${answer.code} is not suggested for these facts${answer.reasons.length ? ':' : ', and no rule names it.'}`}</p>
              {answer.reasons.length ? <ul>{answer.reasons.map((r, i) => <li key={i} data-testid="check-code-reason">{r}</li>)}</ul> : null}
              {proposedSet.has(answer.code) ? null : (
                <button type="button" data-testid="add-checked-code" onClick={() => { onChange(answer.add); setAnswer(undefined); setCode(''); setModifiers(''); }}>
                  Add {answer.code} to the codes on the record
                </button>
              )}
            </div>
          ) : null}
        </div>
      </form>
    </section>
  );
}
