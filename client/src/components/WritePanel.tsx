/**
 * What write-back will do (said before the click), what was already written for this visit (from any launch, by
 * anyone) with Update, the button, and the written ids or the error in words.
 */
import type { VisitStatus, VisitVersion } from '../../../server/contracts/index';
import { writeS } from '../writeback/strings';
import type { Plan } from '../writeback/types';
import type { WriteState } from '../review/useWriteBack';

interface Props {
  plan: Plan; state: WriteState; onWrite(update?: boolean): void; disabled: boolean; disabledReason?: string;
  /** what the server holds for this visit (looked up at launch) */
  visitStatus?: VisitStatus | undefined;
  /** the codes of the lines the clinician would write now */
  lineCodes?: string[];
}

/** what finishing an unfinished version writes: its drafted plan and codes (said when they are not the lines shown) */
export function unfinishedWords(v: VisitVersion, lineCodes: string[] | undefined): string {
  const p = v.plan;
  const writes = ['the note (DocumentReference)', p?.claimToEhr ? writeS.unfinishedClaimToEhr : writeS.unfinishedClaimInWorklist,
    ...(p?.provenanceToEhr ? [writeS.unfinishedProvenance] : []), ...(p?.supersede ? [writeS.unfinishedSupersede] : [])];
  const same = lineCodes && [...lineCodes].sort().join('|') === [...v.codes].sort().join('|');
  return `${writeS.unfinished(v.version, v.codes, writes)}${lineCodes && !same ? ` ${writeS.unfinishedOtherCodes}` : ''}`;
}

const time = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
const day = (iso?: string) => (iso ? new Date(iso).toLocaleDateString() : '');

export function WritePanel({ plan, state, onWrite, disabled, disabledReason, visitStatus, lineCodes }: Props) {
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
      {/* finishing an unfinished version follows its drafted plan (said below), not this launch's */}
      <p data-testid="write-plan" data-vendor={plan.vendor} data-claim-to-ehr={String(!plan.claimInWorklistOnly)}
        data-provenance-to-ehr={String(plan.provenanceToEhr)} hidden={!!unfinished && !plan.blocked}>{plan.summary}</p>
      {current ? (
        <div className="ok" data-testid="already-written" data-version={current.version} data-document-reference-id={current.documentReferenceId ?? ''}
          data-claim-id={current.claimId ?? ''} role="status">
          <p>Written {day(current.writtenAt)} at {time(current.writtenAt)} by {current.authorDisplay ?? current.createdBy}:
            {' '}DocumentReference {current.documentReferenceId ?? '—'}, {current.claimId ? `Claim ${current.claimId}` : 'Claim draft in the billing worklist'}
            {current.version > 1 ? ` (version ${current.version})` : ''}.</p>
          <p className="muted" data-testid="update-plan">{plan.updateSummary}</p>
        </div>
      ) : null}
      {unfinished ? <p className="muted" data-testid="unfinished-write" data-version={unfinished.version}>{unfinishedWords(unfinished, lineCodes)}</p> : null}
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
