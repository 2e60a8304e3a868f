/**
 * The sticky summary at the top of the review: what will be billed (code, modifiers, units), how many problems
 * and open required checklist items there are (links to them), what the last change did, and the Write panel.
 * Sized so the lines and Write are on screen without scrolling in a 1024×768 EHR frame.
 */
import type { ReactNode } from 'react';
import type { Determination } from '../../../server/contracts/index';
import { lineKey } from './LinesTable';

interface Props {
  lines?: Determination['lines'];
  accepted: Record<string, boolean>;
  loading: boolean;
  problemCount: number;
  errorCount: number;
  openRequired: number;
  announcement?: string;
  title: ReactNode;
  /** the write-back panel (WritePanel), placed as is */
  write: ReactNode;
  writeNote?: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function Summary({ lines, accepted, loading, problemCount, errorCount, openRequired, announcement, title, write, writeNote }: Props) {
  return (
    <section className="summary" data-testid="summary" aria-labelledby="summary-h">
      <div className="summary-main">
        <h1 id="summary-h">{title}</h1>
        {lines === undefined ? (
          <ul className="chips" data-testid="summary-lines" data-state="loading" aria-label="Lines to bill (loading)">
            {[0, 1, 2].map((i) => <li key={i} className="chip skeleton" aria-hidden="true">&nbsp;</li>)}
          </ul>
        ) : lines.length === 0 ? <p className="chips-empty" data-testid="summary-lines" data-state="ready">Nothing to bill from these facts.</p> : (
          <ul className="chips" data-testid="summary-lines" data-state={loading ? 'loading' : 'ready'} aria-label="Lines to bill">
            {lines.map((l) => {
              const on = accepted[lineKey(l)] ?? true;
              return (
                <li key={lineKey(l)} className={`chip${on ? '' : ' off'}`} data-testid="summary-line" data-code={l.code} data-accepted={String(on)}>
                  <span className="code">{l.code}</span>
                  {l.modifiers.length ? <span className="mods">-{l.modifiers.join('-')}</span> : null}
                  <span className="units"> ×{l.units}</span>
                  {on ? null : <span className="sr-only"> (not billed)</span>}
                </li>
              );
            })}
          </ul>
        )}
        <p className="counts">
          <a href="#problems" data-testid="summary-problems" data-count={problemCount} className={errorCount ? 'count-err' : problemCount ? 'count-warn' : 'count-ok'}>
            {problemCount === 0 ? 'No problems' : `${plural(problemCount, 'problem or warning', 'problems and warnings')}${errorCount ? ` (${errorCount} to settle)` : ''}`}
          </a>
          {' · '}
          <a href="#checklist" data-testid="summary-open-items" data-count={openRequired} className={openRequired ? 'count-warn' : 'count-ok'}>
            {openRequired === 0 ? 'Checklist complete' : `${plural(openRequired, 'required item', 'required items')} not ticked`}
          </a>
        </p>
        <p className="announce" data-testid="announcer" role="status" aria-live="polite" aria-atomic="true">{announcement ?? ''}</p>
      </div>
      <div className="summary-write">
        {write}
        {writeNote ? <p className="write-note" data-testid="write-note">{writeNote}</p> : null}
      </div>
    </section>
  );
}
