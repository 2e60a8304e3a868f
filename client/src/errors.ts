/**
 * Every error the review screen can show, in words, with what to do next. One place, so wording stays
 * consistent and tests assert the same text the clinician sees. Never includes tokens or PHI.
 */
import { ApiCallError, ApiUnreachableError } from './api/errors';
import { FhirHttpError, FhirNetworkError, FhirTimeoutError, ForeignUrlError } from './fhir/port';
import type { ReadNotice, ReadPart } from './fhir/reads';
import { SessionExpiredError } from './smart/retryAfterRenew';
import { NoIdTokenError, PlanBlockedError, WriteInProgressError, WriteUncertainError, WrongPatientError } from './writeback/types';

export interface Words { message: string; next: string }

export const RELAUNCH = 'Relaunch Pump Refill Coder from the patient\'s chart in your EHR.';
/**
 * said when review/workStore.ts keeps the work and a relaunch of this visit in this tab takes it up (canKeepWork, a
 * visit tag). sessionStorage belongs to one tab (or window), so only a relaunch into the same tab or frame finds it; an
 * EHR that opens each launch in a new window, or the app's own window (opened where the frame is refused storage;
 * COOP gives each such window a fresh browsing context), starts afresh — hence "in this same tab or frame".
 */
export const WORK_KEPT = 'Your corrections and ticks for this visit are kept in this tab until you write: a relaunch that opens the app in this same tab or frame brings them back.';
/** said otherwise (the browser refuses storage here, or the launch has no encounter to tell the visit by) */
export const WORK_NOT_KEPT = 'Your corrections and ticks are still on this screen, but a relaunch cannot bring them back here: note them before you relaunch.';
const work = (kept: boolean) => (kept ? WORK_KEPT : WORK_NOT_KEPT);
/** a 401 the FHIR port passed on after the renewal it tries on reads */
export const sessionExpired = (workKept: boolean): Words => ({ message: 'Your session with the EHR has expired (the app tried to renew it first).', next: `${RELAUNCH} ${work(workKept)}` });

/** The record's reads were refused even after the renewal the FHIR port tries (or could not try). */
export function readSessionExpired(o: { renewTried: boolean; workKept: boolean }): Words {
  return {
    message: o.renewTried ? 'Your session with the EHR has expired and the EHR did not renew it.' : 'Your session with the EHR has expired, and this launch has no refresh token to renew it.',
    next: `${RELAUNCH} ${work(o.workKept)}`,
  };
}

/** A 401 the refresh token could not cure (smart/retryAfterRenew.ts): say why, and whether the work survives a relaunch. */
export function sessionExpiredWords(err: SessionExpiredError, workKept = false): Words {
  const who = err.by === 'ehr' ? 'The EHR' : 'The app server';
  const message = err.reason === 'cannot-renew'
    ? `${who} no longer accepts your sign-in (it expired), and this launch has no refresh token to renew it.`
    : err.reason === 'renew-refused'
      ? `${who} no longer accepts your sign-in (it expired), and the EHR refused to renew it.`
      : `${who} refused your sign-in again after the app renewed it.`;
  return { message, next: `${RELAUNCH} ${work(workKept)} Writing again after the relaunch finishes this write without a second copy.` };
}

const PART_WORDS: Record<ReadPart, string> = {
  Patient: 'the patient\'s demographics', Coverage: 'the insurance coverage', Device: 'the implanted pump (Device)',
  Procedure: 'the visit\'s procedures', MedicationAdministration: 'the drugs given (MedicationAdministration)',
  Condition: 'the diagnoses (Condition)', Encounter: 'the encounter', Practitioner: 'who performed the visit (Practitioner)',
  Organization: 'the payer (Organization)', Location: 'where the visit took place (Location)',
  Medication: 'the drug details (Medication)', DocumentReference: 'the visit note (DocumentReference)',
  Binary: 'the text of the visit note (Binary)', PractitionerRole: 'the performer\'s role (PractitionerRole)',
};

/** A notice for a part of the record that could not be read; the review goes on without it. */
export function readNoticeToWords(n: ReadNotice): string {
  const what = PART_WORDS[n.part];
  switch (n.kind) {
    case 'not-granted': return `The EHR did not grant access to ${what}; facts that depend on it use defaults — please confirm them below.`;
    case 'forbidden': return `The EHR refused to share ${what} (403: scope not granted); facts that depend on it use defaults — please confirm them below.`;
    case 'not-found': return `The EHR has no ${what} for this launch (404); facts that depend on it use defaults.`;
    case 'timeout': return `The EHR did not send ${what} within 15 seconds; facts that depend on it use defaults. Relaunch to try again.`;
    case 'failed': return `The EHR could not send ${what}${n.status ? ` (error ${n.status})` : ''}; facts that depend on it use defaults. Relaunch to try again.`;
  }
}

export function evaluateErrorToWords(err: unknown): Words {
  if (err instanceof ApiCallError) {
    if (err.status >= 400 && err.status < 500) {
      return { message: `The app server could not evaluate this visit: ${err.message}.`, next: 'Correct the highlighted facts, or relaunch from the EHR. If it persists, tell your administrator.' };
    }
    return { message: `The app server failed while evaluating this visit (${err.status}).`, next: 'Wait a moment and change a fact or relaunch to retry.' };
  }
  if (err instanceof ApiUnreachableError) {
    return { message: err.timedOut ? 'The app server did not answer in time.' : 'The app server could not be reached.', next: 'Check your connection, then change a fact or relaunch to retry.' };
  }
  return { message: 'The visit could not be evaluated.', next: 'Relaunch from the EHR. If it persists, tell your administrator.' };
}

const NOTHING_TWICE = 'Nothing was written twice; you can retry.';

/** `workKept`: whether a relaunch of this visit in this tab brings the work back (see WORK_KEPT) */
export function writeErrorToWords(err: unknown, { workKept = false }: { workKept?: boolean } = {}): Words {
  if (err instanceof SessionExpiredError) return sessionExpiredWords(err, workKept);
  if (err instanceof NoIdTokenError) {
    return { message: 'The EHR did not say who you are (no id_token with fhirUser), so the app cannot sign the drafts.', next: 'Ask your administrator to grant the "openid fhirUser" scopes, then relaunch.' };
  }
  if (err instanceof WrongPatientError) {
    return { message: 'The drafts are not for the patient of this launch, so nothing was written.', next: RELAUNCH };
  }
  if (err instanceof PlanBlockedError) return { message: `Nothing was written: ${err.message}.`, next: 'The drafted codes are kept with this visit.' };
  if (err instanceof WriteInProgressError) {
    return {
      message: `The ${err.resourceType} of this visit is being written right now (another click or another tab).`,
      next: 'Wait half a minute, then press "Write to EHR" again: it will show the copy that was written, not make a second one.',
    };
  }
  if (err instanceof WriteUncertainError) {
    return {
      message: `An earlier attempt to write the ${err.resourceType} was interrupted and the EHR could not confirm whether it arrived.`,
      next: 'Check the patient\'s notes in the EHR before retrying; tell your administrator if you find two copies.',
    };
  }
  if (err instanceof FhirHttpError) {
    if (err.status === 401) return sessionExpired(workKept);
    if (err.status === 403) {
      return { message: 'The EHR refused: scope not granted for this write.', next: 'Ask your EHR administrator to grant the app permission to create notes (and claims), then relaunch.' };
    }
    if (err.status === 400 || err.status === 422 || err.status === 409 || err.status === 412) {
      return { message: `The EHR rejected the resource${err.outcome ? `: ${err.outcome}` : ''} (${err.status}).`, next: 'Nothing was written. Correct the facts or checklist if the message points at them, then retry; otherwise tell your administrator.' };
    }
    if (err.status >= 500) return { message: `The EHR failed while writing (${err.status}).`, next: NOTHING_TWICE };
    return { message: `The EHR answered ${err.status}.`, next: NOTHING_TWICE };
  }
  if (err instanceof FhirTimeoutError) return { message: 'The EHR did not answer in time.', next: NOTHING_TWICE };
  if (err instanceof FhirNetworkError) return { message: 'The EHR could not be reached.', next: NOTHING_TWICE };
  if (err instanceof ForeignUrlError) return { message: 'The app refused to send your sign-in to an address outside the EHR.', next: 'Tell your administrator.' };
  if (err instanceof ApiCallError) {
    if (err.status === 401) return { message: 'The app server did not accept your sign-in (it may have expired).', next: RELAUNCH };
    if (err.status === 403) return { message: `The app server refused: ${err.message}.`, next: 'Ask your administrator for access.' };
    if (err.status >= 500) return { message: `The app server failed (${err.status}).`, next: NOTHING_TWICE };
    return { message: `The app server could not prepare the drafts: ${err.message}.`, next: 'Correct the facts and retry.' };
  }
  if (err instanceof ApiUnreachableError) return { message: err.timedOut ? 'The app server did not answer in time.' : 'The app server could not be reached.', next: NOTHING_TWICE };
  return { message: 'The write did not complete.', next: NOTHING_TWICE };
}

/** The browser refuses this frame its storage (third-party storage blocked), which the sign-in needs. */
export function storageBlockedWords(framed: boolean): Words {
  return framed
    ? { message: 'Your browser blocks storage for Pump Refill Coder inside this EHR frame, and sign-in needs it.', next: 'Relaunch the app: the launch page offers to open it in its own window. Or ask your administrator to allow this site\'s storage in the browser policy.' }
    : { message: 'Your browser blocks storage for this site, and sign-in needs it.', next: 'Allow site data for this address in your browser, then relaunch from the patient\'s chart.' };
}

export const launchWords = {
  noState: { message: 'This page was opened without a launch from the EHR (or the launch has ended).', next: RELAUNCH },
  noPatient: { message: 'The EHR did not give a patient with this launch.', next: 'Open Pump Refill Coder from a patient\'s chart.' },
  badToken: (detail: string) => ({ message: `The EHR's sign-in answer was not usable (${detail}).`, next: `${RELAUNCH} If it persists, tell your administrator.` }),
  authFailed: (detail: string) => ({ message: `Sign-in with the EHR did not complete: ${detail}.`, next: RELAUNCH }),
} as const;
