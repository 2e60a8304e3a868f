import type { Determination } from '../../../server/contracts/index';
import { Citations } from './Citations';

const WORD = { error: 'Problem', warning: 'Warning', info: 'Note' } as const;

export function Warnings({ warnings }: { warnings: Determination['warnings'] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="card" data-testid="warnings">
      <h2>Warnings</h2>
      <ul className="warnings">
        {warnings.map((w) => (
          <li key={w.id} className={`warning sev-${w.severity}`} data-testid="warning" data-warning-id={w.id} data-severity={w.severity}>
            <strong>{WORD[w.severity]}:</strong> {w.message}
            <Citations citations={w.citations} />
          </li>
        ))}
      </ul>
    </section>
  );
}
