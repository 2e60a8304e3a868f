/**
 * Starts finishing the launch (the token exchange) once per page, as early as possible. The entry (main.tsx) calls it
 * before React and the review screens are even downloaded and parsed (they are a separate chunk), so the token
 * request runs while the rest of the app loads.
 */
import { completeLaunch, type Launch } from './session';
import { loadVisit, type LoadedVisit } from '../review/loadVisit';
import type { Resource } from '../fhir/types';
import { storageBlockedWords } from '../errors';
import { storageUsable } from '../../../launch/storageUsable';
import { evaluate } from '../api/evaluate';
import { loadWork } from '../review/workStore';

export type Outcome = Awaited<ReturnType<typeof completeLaunch>>;
let launching: Promise<Outcome> | undefined;

export function beginLaunch(): Promise<Outcome> {
  launching ??= storageUsable()
    // the record's reads start the moment the token is in (beginRead), not when this promise settles
    ? completeLaunch((launch) => { beginRead(launch); }).catch((): Outcome => ({ ok: false, words: storageBlockedWords(window.top !== window) }))
    : Promise.resolve<Outcome>({ ok: false, words: storageBlockedWords(window.top !== window) });
  return launching;
}

/**
 * The record's reads, started by the entry the moment the token arrives (not after React has loaded and rendered).
 * Resources are kept as they answer and replayed to whoever subscribes later (the reading screen).
 */
export interface FirstRead {
  launch: Launch;
  visit: Promise<LoadedVisit>;
  /** every resource answered so far, then each one as it answers; returns the unsubscribe */
  subscribe(onResource: (r: Resource) => void): () => void;
}
let firstRead: FirstRead | undefined;

/**
 * Sends the first evaluation the moment the record is read, with the corrections kept for this visit (as the review
 * will start with them), while React draws the review: the review takes this answer up (useEvaluation).
 */
const withFirstEvaluation = (launch: Launch) => async (visit: LoadedVisit): Promise<LoadedVisit> => {
  if (visit.sessionExpired) return visit;
  await launching; // the launch's work tag is set by then
  const overrides = loadWork(launch.stateKey, undefined, launch.workTag)?.overrides ?? {};
  const result = evaluate(visit.bundle, overrides);
  result.catch(() => undefined); // the review awaits it and shows its failure
  return { ...visit, firstEvaluation: { overrides, result } };
};

export function beginRead(launch: Launch): FirstRead {
  if (firstRead?.launch === launch) return firstRead;
  const seen: Resource[] = [];
  const listeners = new Set<(r: Resource) => void>();
  const visit = loadVisit(launch, {
    onResource: (r) => {
      seen.push(r);
      for (const l of listeners) { try { l(r); } catch { /* a display callback never breaks a read */ } }
    },
  }).then(withFirstEvaluation(launch));
  visit.catch(() => undefined); // the screen awaits it; a failure is shown there
  firstRead = {
    launch,
    visit,
    subscribe(onResource) {
      for (const r of seen) onResource(r);
      listeners.add(onResource);
      return () => { listeners.delete(onResource); };
    },
  };
  return firstRead;
}
