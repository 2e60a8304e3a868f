/** What write-back will do (said before the click), the button, and the written ids or the error in words. */
import type { Plan } from '../writeback/types';
import type { WriteState } from '../review/useWriteBack';

interface Props { plan: Plan; state: WriteState; onWrite(): void; disabled: boolean; disabledReason?: string }

export function WritePanel({ plan, state, onWrite, disabled, disabledReason }: Props) {
  const writing = state.status === 'writing';
  const doc = state.status === 'done' ? state.result.written.find((w) => w.resourceType === 'DocumentReference') : undefined;
  const claim = state.status === 'done' ? state.result.written.find((w) => w.resourceType === 'Claim') : undefined;
  return (
    <section className="card write" data-testid="write-panel" data-status={state.status}
      data-attempt={state.status === 'done' || state.status === 'error' ? state.attempt : 0}>
      <h2>Write to EHR</h2>
      <p data-testid="write-plan" data-vendor={plan.vendor} data-claim-to-ehr={String(!plan.claimInWorklistOnly)}>{plan.summary}</p>
      <button type="button" data-testid="write-button" onClick={onWrite} disabled={disabled || writing || !!plan.blocked} aria-busy={writing}>
        {writing ? 'Writing…' : state.status === 'done' ? 'Write again (no copies)' : 'Write to EHR'}
      </button>
      {disabledReason && disabled ? <span className="muted"> {disabledReason}</span> : null}
      {state.status === 'done' ? (
        <p className="ok" data-testid="write-result" data-visit-key={state.result.visitKey}
          data-document-reference-id={doc?.id ?? ''} data-claim-id={claim?.id ?? ''} role="status">
          Written: {state.result.written.map((w) => `${w.resourceType}/${w.id}${w.reused ? ' (already there, not copied)' : ''}`).join(', ')}.
          {!claim ? ' The Claim draft is in the billing worklist.' : ''}
        </p>
      ) : null}
      {state.status === 'error' ? (
        <div className="error-box" data-testid="write-error" role="alert"><p>{state.words.message}</p><p className="next">{state.words.next}</p></div>
      ) : null}
    </section>
  );
}
