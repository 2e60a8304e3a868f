/**
 * Problems at the top of the review, errors first: each says what is wrong and what to do, with the action
 * beside it (Retry, confirm the pump type, a record notice's one-click correction) and its sources on demand.
 */
import { useId, useState } from 'react';
import type { VisitFacts } from '../../../server/contracts/index';
import type { Problem } from '../review/problems';
import { Citations } from './Citations';

const WORD = { error: 'Problem', warning: 'Warning', info: 'Note' } as const;

const KINDS: [VisitFacts['device']['kind'], string][] = [
  ['implanted-programmable-pump', 'Implanted programmable pump'],
  ['implanted-nonprogrammable-pump', 'Implanted non-programmable pump'],
  ['implanted-reservoir', 'Implanted reservoir'],
  ['external-disposable-pump', 'External or disposable pump'],
];

interface Props {
  problems: Problem[];
  deviceKind: VisitFacts['device']['kind'];
  onRetryRead(): void;
  onRetryEvaluate(): void;
  onConfirmDevice(kind: VisitFacts['device']['kind']): void;
  onApplyOverrides(overrides: Record<string, unknown>): void;
}

function ConfirmDevice({ current, onConfirm }: { current: VisitFacts['device']['kind']; onConfirm(kind: VisitFacts['device']['kind']): void }) {
  const id = useId();
  const [kind, setKind] = useState<VisitFacts['device']['kind']>(current === 'unknown' ? 'implanted-programmable-pump' : current);
  return (
    <span className="problem-action">
      <label htmlFor={id}>Pump type</label>{' '}
      <select id={id} data-testid="confirm-device-kind" value={kind} onChange={(e) => setKind(e.target.value as VisitFacts['device']['kind'])}>
        {KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
      </select>{' '}
      <button type="button" data-testid="confirm-device-button" onClick={() => onConfirm(kind)}>Confirm</button>
    </span>
  );
}

export function Problems({ problems, deviceKind, onRetryRead, onRetryEvaluate, onConfirmDevice, onApplyOverrides }: Props) {
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <section className="card problems" data-testid="warnings" id="problems" aria-labelledby="problems-h" tabIndex={-1}>
      <h2 id="problems-h">Problems and warnings <span className="muted">({errors ? `${errors} to settle, ` : ''}{problems.length} in all)</span></h2>
      <ul className="warnings">
        {problems.map((p) => (
          <li key={`${p.origin}-${p.id}`} className={`warning sev-${p.severity}`} data-testid={p.read ? 'read-notice' : 'warning'} data-warning-id={p.id}
            data-severity={p.severity} data-origin={p.origin} data-part={p.read?.part} data-kind={p.read?.kind}>
            <strong>{WORD[p.severity]}:</strong> {p.message}
            {p.next ? <span className="next"> {p.next}</span> : null}
            {p.action ? (
              p.action.kind === 'confirm-device' ? <ConfirmDevice current={deviceKind} onConfirm={onConfirmDevice} />
                : (
                  <button type="button" className="problem-action" data-testid={`problem-action-${p.id}`}
                    onClick={() => {
                      const a = p.action!;
                      if (a.kind === 'retry-read') onRetryRead();
                      else if (a.kind === 'retry-evaluate') onRetryEvaluate();
                      else if (a.kind === 'overrides') onApplyOverrides(a.overrides);
                    }}>{p.action.label}</button>
                )
            ) : null}
            {p.citations?.length ? <Citations citations={p.citations} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
