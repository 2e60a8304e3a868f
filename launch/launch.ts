/**
 * The SMART launch page (/launch.html?iss=…&launch=…). It loads before the EHR hands over the token, so it
 * stays tiny: no React, no zod. It checks the issuer against the configured EHR profiles, refuses launch-URL
 * overrides, pins the discovery document, and hands fhirclient one exact-match configuration per issuer.
 */
import { FHIR } from './fhirclientPure';
import type { fhirclient } from 'fhirclient/lib/types';
import {
  buildAuthorizeConfigs, checkDiscovery, checkLaunchUrl, describeProblem, parseProfiles, randomStateKey,
  type ProblemText,
} from './launchCheck';
import { launchStrings as S } from './strings';

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

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

async function main(): Promise<void> {
  status(S.connecting);
  let profiles;
  try {
    profiles = parseProfiles(await getJson('/api/ehr-profiles'));
  } catch {
    show({ title: S.errorTitle, message: S.profilesFailed, next: S.profilesFailedNext });
    return;
  }
  const check = checkLaunchUrl(location.search, profiles);
  if (!check.ok) {
    show(describeProblem(check.problem));
    return;
  }
  try {
    const problem = checkDiscovery(check.iss, await getJson(`${check.iss.replace(/\/+$/, '')}/.well-known/smart-configuration`));
    if (problem) {
      show({ title: S.errorTitle, message: S.discoveryFailed(problem), next: S.discoveryFailedNext });
      return;
    }
  } catch (err) {
    show({ title: S.errorTitle, message: S.discoveryFailed((err as Error).message), next: S.discoveryFailedNext });
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
    await FHIR.oauth2.authorize(configs);
  } catch (err) {
    show({ title: S.errorTitle, message: S.authorizeFailed((err as Error).message), next: S.authorizeFailedNext });
  }
}

void main();
