/** The review screen: banner, pump, policy, facts with corrections, lines, warnings, checklist, write-back. */
import { useEffect, useState } from 'react';
import type { Launch } from '../smart/session';
import type { LoadedVisit } from '../review/loadVisit';
import { useEvaluation } from '../review/useEvaluation';
import { useWriteBack } from '../review/useWriteBack';
import type { Overrides } from '../review/overrides';
import { evaluateErrorToWords, readNoticeToWords } from '../errors';
import { markSuggestionsRendered, setFhirRequests } from '../metrics';
import { PatientBanner } from '../components/PatientBanner';
import { PumpCard } from '../components/PumpCard';
import { PolicyCard } from '../components/PolicyCard';
import { FactsPanel } from '../components/FactsPanel';
import { LinesTable, lineKey } from '../components/LinesTable';
import { Warnings } from '../components/Warnings';
import { Checklist } from '../components/Checklist';
import { CodesCompare } from '../components/CodesCompare';
import { WritePanel } from '../components/WritePanel';

export function ReviewPage({ launch, visit }: { launch: Launch; visit: LoadedVisit }) {
  const [overrides, setOverrides] = useState<Overrides>({});
  const [accepted, setAccepted] = useState<Record<string, boolean>>({});
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const evaluation = useEvaluation(visit.bundle, overrides);
  const writeBack = useWriteBack(launch, visit, evaluation.result?.facts.serviceDate);
  const result = evaluation.result;

  useEffect(() => {
    if (result) markSuggestionsRendered();
    setFhirRequests(visit.port.requestCount);
  }, [result, visit.port, writeBack.state]);

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

  const evalError = evaluation.error ? evaluateErrorToWords(evaluation.error) : undefined;
  return (
    <div className="review" data-testid="review" data-patient-id={launch.token.patient}>
      {launch.token.need_patient_banner ? <PatientBanner patient={visit.patient} /> : null}
      {visit.notices.length > 0 ? (
        <ul className="notices">{visit.notices.map((n, i) => <li key={i} data-testid="read-notice" data-part={n.part} data-kind={n.kind}>{readNoticeToWords(n)}</li>)}</ul>
      ) : null}
      {evalError ? <div className="error-box" data-testid="evaluate-error" role="alert"><p>{evalError.message}</p><p className="next">{evalError.next}</p></div> : null}
      {!result ? (evalError ? null : <p className="loading" data-testid="loading">Working out the codes…</p>) : (
        <div className="grid">
          <div className="col">
            <PumpCard facts={result.facts} sources={result.factSources} />
            <PolicyCard result={result} />
            <FactsPanel facts={result.facts} sources={result.factSources} overrides={overrides} onChange={setOverrides} />
          </div>
          <div className="col">
            <LinesTable determination={result.determination} accepted={accepted} loading={evaluation.loading}
              onToggle={(k, on) => setAccepted((a) => ({ ...a, [k]: on }))} />
            <Warnings warnings={result.determination.warnings} />
            <CodesCompare facts={result.facts} determination={result.determination} overrides={overrides} onChange={setOverrides} />
            <Checklist items={result.determination.checklist} checked={checked} onToggle={(id, on) => setChecked((c) => ({ ...c, [id]: on }))} />
            <WritePanel plan={writeBack.plan} state={writeBack.state} onWrite={onWrite} visitStatus={writeBack.visitStatus}
              disabled={evaluation.loading} disabledReason="Waiting for the codes to update…" />
          </div>
        </div>
      )}
    </div>
  );
}
