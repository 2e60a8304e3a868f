/** The payer's documentation checklist; required items marked. Ticks are kept across re-evaluations. */
import type { Determination } from '../../../server/contracts/index';
import { Citations } from './Citations';

interface Props { items: Determination['checklist']; checked: Record<string, boolean>; onToggle(id: string, on: boolean): void }

export function Checklist({ items, checked, onToggle }: Props) {
  const missing = items.filter((i) => i.required && !checked[i.id]).length;
  return (
    <section className="card" data-testid="checklist" id="checklist" aria-labelledby="checklist-h" tabIndex={-1}>
      <h2 id="checklist-h">Documentation checklist</h2>
      {missing > 0 ? <p className="muted" data-testid="checklist-missing">{missing} required item{missing === 1 ? '' : 's'} not yet ticked.</p> : null}
      <ul className="checklist">
        {items.map((i) => (
          <li key={i.id} data-testid="checklist-item" data-checklist-id={i.id} data-required={String(i.required)}>
            <label>
              <input type="checkbox" data-testid={`checklist-check-${i.id}`} checked={!!checked[i.id]} onChange={(e) => onToggle(i.id, e.target.checked)} />
              {' '}{i.text}{i.required ? <span className="required" title="required"> (required)</span> : null}
            </label>
            <Citations citations={i.citations} />
          </li>
        ))}
      </ul>
    </section>
  );
}
