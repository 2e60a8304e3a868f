/**
 * The review screen, summary first: a sticky summary (lines to bill, counts, the Write panel), then the problems
 * sorted by severity with what to do, then the lines with their reasons and the checklist, and beside them the
 * pump, coverage and the facts to correct. Work (corrections, accepted lines, ticks) survives a reload.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { VisitFacts } from '../../../server/contracts/index';
import type { Launch } from '../smart/session';
import type { LoadedVisit } from '../review/loadVisit';
import { useEvaluation } from '../review/useEvaluation';
import { useWriteBack } from '../review/useWriteBack';
import { mergeOverrides, setOverride, type Overrides } from '../review/overrides';
import { evaluate } from '../api/evaluate';
import { evaluateErrorToWords } from '../errors';
import { markSuggestionsRendered, setFhirRequests } from '../metrics';
import { blocksWrite, collectProblems } from '../review/problems';
import { diffLines } from '../review/changes';
import { clearWork, loadWork, saveWork } from '../review/workStore';
import { PatientBanner } from '../components/PatientBanner';
import { PumpCard } from '../components/PumpCard';
import { PolicyCard } from '../components/PolicyCard';
import { FactsPanel } from '../components/FactsPanel';
import { LinesTable, lineKey } from '../components/LinesTable';
import { Problems } from '../components/Problems';
import { Checklist } from '../components/Checklist';
import { CodesCompare } from '../components/CodesCompare';
import { WritePanel } from '../components/WritePanel';
import { Summary } from '../components/Summary';

interface Props { launch: Launch; visit: LoadedVisit; onRetryRead(): void; rereading?: boolean }

export function ReviewPage({ launch, visit, onRetryRead, rereading = false }: Props) {
  const saved = useMemo(() => loadWork(launch.stateKey, undefined, launch.workTag), [launch.stateKey, launch.workTag]);
  const [overrides, setOverrides] = useState<Overrides>(saved?.overrides ?? {});
  const [accepted, setAccepted] = useState<Record<string, boolean>>(saved?.accepted ?? {});
  const [checked, setChecked] = useState<Record<string, boolean>>(saved?.checked ?? {});
  const [deviceConfirmed, setDeviceConfirmed] = useState(saved?.deviceConfirmed ?? false);
  const evaluation = useEvaluation(visit.bundle, overrides, visit.firstEvaluation);
  const writeBack = useWriteBack(launch, visit, evaluation.result?.facts.serviceDate);
  const result = evaluation.result;
  // the summary and the lines commit first; the checklist and the cards (most of the page) follow in a deferred render
  const deferred = useDeferredValue(result);

  useEffect(() => { saveWork(launch.stateKey, { overrides, accepted, checked, deviceConfirmed }, undefined, launch.workTag); }, [launch.stateKey, launch.workTag, overrides, accepted, checked, deviceConfirmed]);

  useEffect(() => {
    if (result) markSuggestionsRendered();
    setFhirRequests(visit.port.requestCount);
  }, [result, visit.port, writeBack.state]);

  // announce and highlight what a change did to the lines
  const previous = useRef<typeof result>(undefined);
  const [announcement, setAnnouncement] = useState<string | undefined>();
  const [changed, setChanged] = useState<string[]>([]);
  useEffect(() => {
    if (!result) return;
    const before = previous.current;
    previous.current = result;
    if (!before) return;
    const diff = diffLines(before.determination.lines, result.determination.lines);
    if (!diff) { setAnnouncement('Facts updated; the lines did not change.'); return; }
    setAnnouncement(diff.words);
    setChanged(diff.changedCodes);
    const t = setTimeout(() => setChanged([]), 2500);
    return () => clearTimeout(t);
  }, [result]);

  // after Write, focus moves to the result (or the error) instead of dropping to the page
  useEffect(() => {
    const s = writeBack.state.status;
    if (s !== 'done' && s !== 'error') return;
    if (s === 'done') clearWork(launch.stateKey);
    const el = document.querySelector<HTMLElement>('[data-testid="write-result"], [data-testid="write-error"]');
    if (el) { el.tabIndex = -1; el.focus(); }
  }, [writeBack.state, launch.stateKey]);

  const evalError = evaluation.error ? evaluateErrorToWords(evaluation.error) : undefined;
  const problems = useMemo(() => collectProblems({ result, readNotices: visit.notices, evaluationError: evalError, deviceConfirmed }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [result, visit.notices, evalError?.message, deviceConfirmed]);
  const blocking = problems.filter(blocksWrite);
  const openRequired = result ? result.determination.checklist.filter((i) => i.required && !checked[i.id]).length : 0;

  const onWrite = (update = false) => {
    if (!result) return;
    const d = result.determination;
    void (update ? writeBack.update : writeBack.write)({
      facts: result.facts,
      acceptedLines: d.lines.filter((l) => accepted[lineKey(l)] ?? true)
        .map(({ code, system, display, modifiers, units }) => ({ code, system, display, modifiers, units })),
      checklist: d.checklist.map((i) => ({ id: i.id, text: i.text, required: i.required, checked: !!checked[i.id] })),
      references: result.references,
      policy: d.policy,
    });
  };
  const check = useCallback((o: Overrides) => evaluate(visit.bundle, o), [visit.bundle]);
  const confirmDevice = (kind: VisitFacts['device']['kind']) => {
    setOverrides((o) => setOverride(o, ['device', 'kind'], kind));
    setDeviceConfirmed(true);
  };

  const writeDisabledReason = !result ? 'Waiting for the codes…'
    : evaluation.loading ? 'Waiting for the codes to update…'
      : blocking.length ? 'Confirm the pump type first (see Problems).' : undefined;
  const writeNote = result && openRequired > 0 && writeBack.state.status !== 'done'
    ? `${openRequired} required checklist item${openRequired === 1 ? ' is' : 's are'} not ticked: the note will list ${openRequired === 1 ? 'it' : 'them'} as not done.`
    : undefined;
  const title = <>Pump refill coding{result ? <span className="muted"> · {result.facts.serviceDate} · {result.determination.policy.name}</span> : null}</>;

  return (
    <div className="review" data-testid="review" data-patient-id={launch.token.patient}>
      {launch.token.need_patient_banner ? <PatientBanner patient={visit.patient} /> : null}
      <main id="main">
        <Summary
          lines={result?.determination.lines}
          accepted={accepted}
          loading={evaluation.loading}
          problemCount={problems.length}
          errorCount={problems.filter((p) => p.severity === 'error').length}
          openRequired={openRequired}
          announcement={announcement}
          title={title}
          write={<WritePanel plan={writeBack.plan} state={writeBack.state} onWrite={onWrite} visitStatus={writeBack.visitStatus}
            lineCodes={result?.determination.lines.filter((l) => accepted[lineKey(l)] ?? true).map((l) => l.code)}
            disabled={!!writeDisabledReason} disabledReason={writeDisabledReason} />}
          writeNote={writeNote}
        />
        {rereading ? <p className="muted" role="status" data-testid="rereading">Reading the record again…</p> : null}
        <Problems problems={problems} deviceKind={result?.facts.device.kind ?? 'unknown'}
          onRetryRead={onRetryRead} onRetryEvaluate={evaluation.retry}
          onConfirmDevice={confirmDevice} onApplyOverrides={(o) => setOverrides((cur) => mergeOverrides(cur, o))} />
        {!result ? (evalError ? null : <LinesSkeleton />) : (
          <div className="grid">
            <div className="col">
              <LinesTable determination={result.determination} accepted={accepted} loading={evaluation.loading} changed={changed}
                provisional={blocking.length > 0}
                onToggle={(k, on) => setAccepted((a) => ({ ...a, [k]: on }))} />
              {deferred ? <Checklist items={deferred.determination.checklist} checked={checked} onToggle={(id, on) => setChecked((c) => ({ ...c, [id]: on }))} /> : null}
            </div>
            {deferred ? (
              <div className="col">
                <PumpCard facts={deferred.facts} sources={deferred.factSources} />
                <PolicyCard result={deferred} coverageUnread={visit.notices.find((n) => n.part === 'Coverage')} />
                <FactsPanel facts={deferred.facts} sources={deferred.factSources} overrides={overrides} onChange={setOverrides} />
                <CodesCompare facts={deferred.facts} determination={deferred.determination} overrides={overrides} onChange={setOverrides} check={check} />
              </div>
            ) : <div className="col" />}
          </div>
        )}
      </main>
    </div>
  );
}

export function LinesSkeleton() {
  return (
    <section className="card lines skeleton-card" data-testid="lines-skeleton" aria-busy="true" aria-labelledby="lines-skel-h">
      <h2 id="lines-skel-h">Suggested lines <span className="updating" data-testid="loading">working out the codes…</span></h2>
      {[0, 1, 2].map((i) => <div key={i} className="skeleton-row" aria-hidden="true" />)}
    </section>
  );
}
