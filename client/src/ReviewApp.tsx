/** The clinician's app: finish the launch, load the visit, then show the review screen (or a clear error). */
import { useEffect, useRef, useState } from 'react';
import { completeLaunch, type Launch } from './smart/session';
import { loadVisit, type LoadedVisit } from './review/loadVisit';
import { SESSION_EXPIRED, type Words } from './errors';
import { setFhirRequests } from './metrics';
import { ReviewPage } from './pages/ReviewPage';
import { ErrorPage } from './pages/ErrorPage';

type Phase =
  | { kind: 'loading'; step: string }
  | { kind: 'error'; words: Words }
  | { kind: 'ready'; launch: Launch; visit: LoadedVisit };

export function ReviewApp() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading', step: 'Completing sign-in with the EHR…' });
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice in development; the launch must run once
    started.current = true;
    void (async () => {
      const outcome = await completeLaunch();
      if (!outcome.ok) { setPhase({ kind: 'error', words: outcome.words }); return; }
      setPhase({ kind: 'loading', step: 'Reading the patient\'s record…' });
      try {
        const visit = await loadVisit(outcome.launch);
        setFhirRequests(visit.port.requestCount);
        if (visit.sessionExpired) { setPhase({ kind: 'error', words: SESSION_EXPIRED }); return; }
        setPhase({ kind: 'ready', launch: outcome.launch, visit });
      } catch {
        setPhase({ kind: 'error', words: { message: 'The record could not be read.', next: 'Relaunch from the patient\'s chart in your EHR.' } });
      }
    })();
  }, []);
  if (phase.kind === 'error') return <ErrorPage words={phase.words} />;
  if (phase.kind === 'loading') return <p className="loading" data-testid="loading" aria-live="polite">{phase.step}</p>;
  return <ReviewPage launch={phase.launch} visit={phase.visit} />;
}
