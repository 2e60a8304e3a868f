/**
 * The write-back action: which visit this is and what was written for it (looked up when the service date is known),
 * then drafts from the server and the ordered writes; one write at a time. A written visit offers Update, which writes
 * a new version that supersedes the current one — never a second current copy. A sign-in that expired meanwhile is
 * renewed with the refresh token and the call retried once (writeback/writeVisit.ts); the work stays on screen.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DraftRequest, VisitStatus } from '../../../server/contracts/index';
import { lookupVisit } from '../api/drafts';
import { ApiCallError } from '../api/http';
import { writeErrorToWords, type Words } from '../errors';
import type { Launch } from '../smart/session';
import { retryOnceAfterRenew } from '../smart/retryAfterRenew';
import { describePlan, draftPlanOf } from '../writeback/adapters';
import { writeVisit } from '../writeback/writeVisit';
import type { Plan, WriteResult } from '../writeback/types';
import type { LoadedVisit } from './loadVisit';
import { canKeepWork } from './workStore';

export type WriteState =
  | { status: 'idle' }
  | { status: 'writing' }
  | { status: 'done'; result: WriteResult; attempt: number }
  | { status: 'error'; words: Words; attempt: number };

type Request = Omit<DraftRequest, 'launchId' | 'author' | 'update' | 'plan'>;

/** the signed-in practitioner's name from the record the launch read, for "Written … by Dr X" */
function authorDisplay(visit: LoadedVisit, fhirUser: string | undefined): string | undefined {
  const id = fhirUser?.split('/').pop();
  const p = visit.bundle.entry?.map((e) => e.resource).find((r) => r?.resourceType === 'Practitioner' && r.id === id) as
    { name?: { text?: string; given?: string[]; family?: string; prefix?: string[] }[] } | undefined;
  const n = p?.name?.[0];
  const text = n?.text ?? [...(n?.prefix ?? []), ...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
  return text ? text.slice(0, 200) : undefined;
}

export function useWriteBack(launch: Launch, visit: LoadedVisit, serviceDate?: string) {
  const plan: Plan = useMemo(
    () => describePlan(visit.vendor, visit.capability, visit.scopes, { encounterId: launch.token.encounter, fhirUser: launch.fhirUser }),
    [visit.vendor, visit.capability, visit.scopes, launch.token.encounter, launch.fhirUser],
  );
  const [state, setState] = useState<WriteState>({ status: 'idle' });
  const [visitStatus, setVisitStatus] = useState<VisitStatus>();
  const busy = useRef(false);
  const attempts = useRef(0);
  const { tokens } = launch;
  // whether the launch can sign the drafts at all; the tokens themselves are read from `tokens` at each request
  const signed = !!(launch.token.id_token && launch.token.access_token);

  const refresh = useCallback(async () => {
    if (!signed || !serviceDate || !launch.token.patient) return;
    const req = { patientId: launch.token.patient, serviceDate, ...(launch.token.encounter ? { encounterId: launch.token.encounter } : {}) };
    const creds = () => {
      const c = tokens.current();
      return { idToken: c.idToken ?? '', accessToken: c.accessToken ?? '' };
    };
    try {
      setVisitStatus(await retryOnceAfterRenew(tokens, () => lookupVisit(req, creds)));
    } catch {
      // the lookup only informs the screen; the write itself is checked again by the server
    }
  }, [signed, tokens, serviceDate, launch.token.patient, launch.token.encounter]);
  useEffect(() => { void refresh(); }, [refresh]);

  const run = useCallback(async (request: Request, update: boolean) => {
    if (busy.current) return;
    if (!signed || !launch.fhirUser) {
      setState({ status: 'error', attempt: ++attempts.current, words: { message: 'The EHR did not say who you are (no id_token with fhirUser), so the app cannot sign the drafts.', next: 'Ask your administrator to grant the "openid fhirUser" scopes, then relaunch.' } });
      return;
    }
    busy.current = true;
    setState({ status: 'writing' });
    try {
      const display = authorDisplay(visit, launch.fhirUser);
      const current = visitStatus?.current;
      const result = await writeVisit({
        ...request,
        author: { reference: launch.fhirUser, ...(display ? { display } : {}) },
        plan: draftPlanOf(plan),
        ...(update && current ? { update: { supersedes: current } } : {}),
      }, {
        tokens, fhir: visit.port, plan,
        patientId: launch.token.patient ?? '',
        ...(launch.token.encounter ? { encounterId: launch.token.encounter } : {}),
        fhirUser: launch.fhirUser,
      });
      setState({ status: 'done', result, attempt: ++attempts.current });
    } catch (err) {
      if (err instanceof ApiCallError && (err.code === 'already-written' || err.code === 'stale-update')) {
        // written meanwhile (another launch or user): show what is there and offer Update
        setState({ status: 'idle' });
      } else {
        // the work is on screen either way; a relaunch brings it back only where this tab keeps it for the visit
        setState({ status: 'error', words: writeErrorToWords(err, { workKept: !!launch.workTag && canKeepWork() }), attempt: ++attempts.current });
      }
    } finally {
      busy.current = false;
      void refresh();
    }
  }, [signed, tokens, launch, plan, visit, visitStatus, refresh]);

  const write = useCallback((request: Request) => run(request, false), [run]);
  const update = useCallback((request: Request) => run(request, true), [run]);
  return { plan, state, write, update, visitStatus };
}
