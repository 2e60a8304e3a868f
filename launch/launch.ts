/**
 * The SMART launch page (/launch.html?iss=…&launch=…). It loads before the EHR hands over the token, so it
 * stays tiny: no React, no zod. It checks the issuer against the configured EHR profiles, refuses launch-URL
 * overrides, hands fhirclient one exact-match configuration per issuer, and checks the endpoints fhirclient read
 * from the discovery document before going to the EHR's sign-in.
 */
import { FHIR } from './fhirclientPure';
import type { fhirclient } from 'fhirclient/lib/types';
import {
  buildAuthorizeConfigs, checkDiscoveredEndpoints, checkLaunchUrl, describeProblem, parseProfiles, randomStateKey,
  type DiscoveredEndpoints, type ProblemText,
} from './launchCheck';
import { launchStrings as S } from './strings';
import { embeddedProfiles } from './embeddedProfiles';
import { storageUsable } from './storageUsable';

function show(text: ProblemText): void {
  const main = document.getElementById('launch');
  if (!main) return;
  main.className = 'error';
  main.setAttribute('data-state', 'error');
  const h1 = document.createElement('h1');
  h1.textContent = 'Pump Refill Coder';
  const h2 = document.createElement('h2');
  h2.textContent = text.title;
  const p = document.createElement('p');
  p.setAttribute('data-testid', 'launch-error');
  p.textContent = text.message; // textContent: the iss and other URL values are never parsed as HTML
  const next = document.createElement('p');
  next.className = 'next';
  next.setAttribute('data-testid', 'launch-next');
  next.textContent = text.next;
  main.replaceChildren(h1, h2, p, next);
}

function status(text: string): void {
  const el = document.getElementById('launch-status');
  if (el) el.textContent = text;
}

/**
 * Storage is refused inside the EHR's frame: the launch continues in a top-level window the user opens (first-party
 * storage there), with the same launch URL — nothing was sent to the EHR yet, so its launch code is still unused.
 */
function offerOwnWindow(): void {
  show({ title: S.storageBlockedTitle, message: S.storageBlockedFramed, next: S.storageBlockedFramedNext });
  const main = document.getElementById('launch');
  if (!main) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = S.openWindow;
  button.setAttribute('data-testid', 'launch-open-window');
  const note = document.createElement('p');
  note.setAttribute('data-testid', 'launch-window-status');
  note.setAttribute('role', 'status');
  button.addEventListener('click', () => {
    const w = window.open(location.href, '_blank');
    note.textContent = w ? S.openedWindow : S.popupBlocked;
  });
  main.append(button, note);
  button.focus();
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

function readSavedState(stateKey: string): DiscoveredEndpoints | null {
  try {
    return JSON.parse(sessionStorage.getItem(stateKey) ?? 'null') as DiscoveredEndpoints | null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  status(S.connecting);
  if (!storageUsable()) {
    if (window.top !== window) offerOwnWindow();
    else show({ title: S.errorTitle, message: S.storageBlockedTop, next: S.storageBlockedTopNext });
    return;
  }
  let profiles;
  try {
    profiles = parseProfiles(embeddedProfiles() ?? await getJson('/api/ehr-profiles'));
  } catch {
    show({ title: S.errorTitle, message: S.profilesFailed, next: S.profilesFailedNext });
    return;
  }
  const check = checkLaunchUrl(location.search, profiles);
  if (!check.ok) {
    show(describeProblem(check.problem));
    return;
  }
  let stateKey: string;
  try {
    stateKey = randomStateKey();
  } catch {
    show({ title: S.errorTitle, message: S.noCrypto, next: S.noCryptoNext });
    return;
  }
  status(S.redirecting(check.profile.name));
  // Per-launch state only: never the shared SMART_KEY slot, so two launches in one tab's frames never mix.
  FHIR.oauth2.settings.fullSessionStorageSupport = false;
  try {
    // fhirclient accepts a list at run time (its typings only declare one configuration).
    const configs = buildAuthorizeConfigs(profiles, stateKey) as unknown as fhirclient.AuthorizeParams;
    // fhirclient reads the discovery document (once) and saves what it found under the state key
    const signInUrl = await FHIR.oauth2.authorize(configs);
    const problem = checkDiscoveredEndpoints(check.iss, readSavedState(stateKey));
    if (problem || typeof signInUrl !== 'string') {
      sessionStorage.removeItem(stateKey);
      show({ title: S.errorTitle, message: S.discoveryFailed(problem ?? 'no sign-in address'), next: S.discoveryFailedNext });
      return;
    }
    location.href = signInUrl;
  } catch (err) {
    sessionStorage.removeItem(stateKey);
    show({ title: S.errorTitle, message: S.authorizeFailed((err as Error).message), next: S.authorizeFailedNext });
  }
}

void main();
