/**
 * The clinician's app: finish the launch, then show the review at once — patient, pump and coverage as their
 * reads answer, a skeleton of the lines until the determination arrives — or a clear error. The EHR's style
 * (smart_style_url) is applied alongside, never delaying the record.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Launch } from './smart/session';
import { beginLaunch, beginRead } from './smart/beginLaunch';
import { loadVisit, type LoadedVisit } from './review/loadVisit';
import { applyEhrStyle } from './review/ehrStyle';
import { readSessionExpired, type Words } from './errors';
import { canKeepWork } from './review/workStore';
import { setFhirRequests } from './metrics';
import type { Resource } from './fhir/types';
import { ReviewPage, LinesSkeleton } from './pages/ReviewPage';
import { ErrorPage } from './pages/ErrorPage';
import { PatientBanner } from './components/PatientBanner';

export interface EarlyParts { patient?: Resource; device?: Resource; coverage?: Resource }

type Phase =
  | { kind: 'signing-in' }
  | { kind: 'reading'; launch: Launch; early: EarlyParts }
  | { kind: 'error'; words: Words }
  | { kind: 'ready'; launch: Launch; visit: LoadedVisit; rereading: boolean };

export { beginLaunch } from './smart/beginLaunch';

export function ReviewApp() {
  const [phase, setPhase] = useState<Phase>({ kind: 'signing-in' });
  const started = useRef(false);
  const launchRef = useRef<Launch | undefined>(undefined);

  const read = useCallback(async (launch: Launch, again: boolean) => {
    const early: EarlyParts = {};
    const onResource = (r: Resource) => {
      if (again) return;
      if (r.resourceType === 'Patient' && r.id === launch.token.patient && !early.patient) early.patient = r;
      else if (r.resourceType === 'Device' && !early.device) early.device = r;
      else if (r.resourceType === 'Coverage' && !early.coverage) early.coverage = r;
      else return;
      setPhase((p) => (p.kind === 'reading' ? { ...p, early: { ...early } } : p));
    };
    // the first read is the one the entry started when the token arrived; a re-read (Retry) reads afresh
    const first = again ? undefined : beginRead(launch);
    const unsubscribe = first?.subscribe(onResource);
    try {
      const visit = await (first ? first.visit : loadVisit(launch, { onResource }));
      setFhirRequests(visit.port.requestCount);
      if (visit.sessionExpired) {
        const renewTried = launch.tokens.generation > 0 || launch.tokens.refused;
        setPhase({ kind: 'error', words: readSessionExpired({ renewTried, workKept: !!launch.workTag && canKeepWork() }) });
        return;
      }
      setPhase({ kind: 'ready', launch, visit, rereading: false });
    } catch {
      setPhase({ kind: 'error', words: { message: 'The record could not be read.', next: 'Relaunch from the patient\'s chart in your EHR.' } });
    } finally {
      unsubscribe?.();
    }
  }, []);

  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice in development; the launch must run once
    started.current = true;
    void (async () => {
      const outcome = await beginLaunch();
      if (!outcome.ok) { setPhase({ kind: 'error', words: outcome.words }); return; }
      launchRef.current = outcome.launch;
      void applyEhrStyle(outcome.launch.token.smart_style_url, outcome.launch.serverUrl);
      setPhase({ kind: 'reading', launch: outcome.launch, early: {} });
      await read(outcome.launch, false);
    })();
  }, [read]);

  const retryRead = useCallback(() => {
    const launch = launchRef.current;
    if (!launch) return;
    setPhase((p) => (p.kind === 'ready' ? { ...p, rereading: true } : p));
    void read(launch, true);
  }, [read]);

  if (phase.kind === 'error') return <ErrorPage words={phase.words} />;
  if (phase.kind === 'signing-in') {
    return <main className="loading-page"><h1>Pump Refill Coder</h1><p className="loading" data-testid="loading" role="status">Completing sign-in with the EHR…</p></main>;
  }
  if (phase.kind === 'reading') return <Reading launch={phase.launch} early={phase.early} />;
  return <ReviewPage launch={phase.launch} visit={phase.visit} onRetryRead={retryRead} rereading={phase.rereading} />;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The screen while the record is read: what has arrived so far, and a skeleton of the lines. */
function Reading({ launch, early }: { launch: Launch; early: EarlyParts }) {
  const d = early.device as { deviceName?: { name?: string }[]; type?: { text?: string; coding?: { display?: string }[] }; modelNumber?: string } | undefined;
  const c = early.coverage as { payor?: { display?: string }[]; class?: { name?: string; value?: string }[] } | undefined;
  const pump = d ? text(d.deviceName?.[0]?.name) ?? text(d.type?.text) ?? text(d.type?.coding?.[0]?.display) ?? text(d.modelNumber) ?? 'a device' : undefined;
  const payer = c ? text(c.payor?.[0]?.display) ?? 'a coverage' : undefined;
  return (
    <div className="review" data-testid="review-reading" data-patient-id={launch.token.patient}>
      {launch.token.need_patient_banner ? <PatientBanner patient={early.patient} /> : null}
      <main id="main">
        <section className="summary" aria-labelledby="summary-h">
          <div className="summary-main">
            <h1 id="summary-h">Pump refill coding</h1>
            <ul className="chips" aria-hidden="true">{[0, 1, 2].map((i) => <li key={i} className="chip skeleton">&nbsp;</li>)}</ul>
            <p className="muted" role="status" data-testid="reading-status">Reading the patient's record…</p>
          </div>
        </section>
        <div className="grid">
          <div className="col"><LinesSkeleton /></div>
          <div className="col">
            <section className="card" aria-labelledby="early-h" data-testid="early-parts">
              <h2 id="early-h">From the record so far</h2>
              <dl>
                <dt>Pump</dt><dd data-testid="early-pump">{pump ?? 'reading…'}</dd>
                <dt>Coverage</dt><dd data-testid="early-coverage">{payer ?? 'reading…'}</dd>
              </dl>
            </section>
          </div>
        </div>
      </main>
    </div>
  );
}
