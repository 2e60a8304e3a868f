/**
 * Starts finishing the launch (the token exchange) once per page, as early as possible. The entry (main.tsx) calls it
 * before React and the review screens are even downloaded and parsed (they are a separate chunk), so the token
 * request runs while the rest of the app loads.
 */
import { completeLaunch } from './session';
import { storageBlockedWords } from '../errors';

/** Whether this document may use sessionStorage (a blocked third-party frame throws on access). */
function storageUsable(): boolean {
  try {
    const s = window.sessionStorage;
    s.setItem('prc-probe', '1');
    s.removeItem('prc-probe');
    return true;
  } catch {
    return false;
  }
}

export type Outcome = Awaited<ReturnType<typeof completeLaunch>>;
let launching: Promise<Outcome> | undefined;

export function beginLaunch(): Promise<Outcome> {
  launching ??= storageUsable()
    ? completeLaunch().catch((): Outcome => ({ ok: false, words: storageBlockedWords(window.top !== window) }))
    : Promise.resolve<Outcome>({ ok: false, words: storageBlockedWords(window.top !== window) });
  return launching;
}
