/**
 * What write-back will do (said before the click), what was already written for this visit (from any launch, by
 * anyone) with Update, the button, and the written ids or the error in words.
 */
import type { VisitStatus } from '../../../server/contracts/index';
import type { Plan } from '../writeback/types';
import type { WriteState } from '../review/useWriteBack';

interface Props {
  plan: Plan; state: WriteState; onWrite(update?: boolean): void; disabled: boolean; disabledReason?: string;
  /** what the server holds for this visit (looked up at launch) */
  visitStatus?: VisitStatus | undefined;
}

const time = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
const day = (iso?: string) => (iso ? new Date(iso).toLocaleDateString() : '');

export function WritePanel({ plan, state, onWrite, disabled, disabledReason, visitStatus }: Props) {
  const writing = state.status === 'writing';
  const doc = state.status === 'done' ? state.result.written.find((w) => w.resourceType === 'DocumentReference') : undefined;
  const claim = state.status === 'done' ? state.result.written.find((w) => w.resourceType === 'Claim') : undefined;
  const current = visitStatus?.versions.find((v) => v.version === visitStatus.current);
  const unfinished = visitStatus?.versions[0] && visitStatus.versions[0].state === 'drafted' ? visitStatus.versions[0] : undefined;
  const label = writing ? 'Writing…' : unfinished ? 'Finish the earlier write' : current ? `Update (write version ${(visitStatus?.versions[0]?.version ?? current.version) + 1})` : 'Write to EHR';
  return (
    <section className="card write" data-testid="write-panel" data-status={state.status}
      data-attempt={state.status === 'done' || state.status === 'error' ? state.attempt : 0}>
      <h2>Write to EHR</h2>
      <p data-testid="write-plan" data-vendor={plan.vendor} data-claim-to-ehr={String(!plan.claimInWorklistOnly)}
        data-provenance-to-ehr={String(plan.provenanceToEhr)}>{plan.summary}</p>
      {current ? (
        <div className="ok" data-testid="already-written" data-version={current.version} data-document-reference-id={current.documentReferenceId ?? ''}
          data-claim-id={current.claimId ?? ''} role="status">
          <p>Written {day(current.writtenAt)} at {time(current.writtenAt)} by {current.authorDisplay ?? current.createdBy}:
            {' '}DocumentReference {current.documentReferenceId ?? '—'}, {current.claimId ? `Claim ${current.claimId}` : 'Claim draft in the billing worklist'}
            {current.version > 1 ? ` (version ${current.version})` : ''}.</p>
          <p className="muted" data-testid="update-plan">{plan.updateSummary}</p>
        </div>
      ) : null}
      {unfinished ? <p className="muted" data-testid="unfinished-write">An earlier write of this visit (version {unfinished.version}) did not finish: writing again completes it, without a second copy.</p> : null}
      <button type="button" data-testid="write-button" onClick={() => onWrite(!!current && !unfinished)}
        disabled={disabled || writing || !!plan.blocked || (!!current && !unfinished && !plan.canUpdate && plan.vendor !== 'generic')} aria-busy={writing}>
        {label}
      </button>
      {disabledReason && disabled ? <span className="muted"> {disabledReason}</span> : null}
      {state.status === 'done' ? (
        <p className="ok" data-testid="write-result" data-visit-key={state.result.visitKey} data-version={state.result.version}
          data-document-reference-id={doc?.id ?? ''} data-claim-id={claim?.id ?? ''} role="status">
          {state.result.resumed ? 'Finished the earlier write: ' : 'Written: '}
          {state.result.written.map((w) => `${w.resourceType}/${w.id}${w.reused ? ' (already there, not copied)' : ''}`).join(', ')}.
          {state.result.superseded ? ` Version ${state.result.version} replaces version ${state.result.superseded}.` : ''}
          {!claim ? ' The Claim draft is in the billing worklist.' : ''}
        </p>
      ) : null}
      {state.status === 'error' ? (
        <div className="error-box" data-testid="write-error" role="alert"><p>{state.words.message}</p><p className="next">{state.words.next}</p></div>
      ) : null}
    </section>
  );
}
