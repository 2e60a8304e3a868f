/**
 * Figures the end-to-end tests read from window.__prcMetrics: FHIR requests sent, and the time from the
 * app's first script execution to suggestions rendered (both on the performance.timeOrigin clock).
 */
export interface PrcMetrics {
  fhirRequests: number;
  launchToSuggestionsMs?: number;
  /** ms from the page's navigation start (performance.timeOrigin) to suggestions rendered */
  navigationToSuggestionsMs?: number;
  firstScriptAtMs: number;
}

declare global { interface Window { __prcMetrics?: PrcMetrics } }

const metrics: PrcMetrics = { fhirRequests: 0, firstScriptAtMs: typeof performance !== 'undefined' ? performance.now() : 0 };

export function startMetrics(): PrcMetrics {
  if (typeof window !== 'undefined') window.__prcMetrics = metrics;
  return metrics;
}
/** A named point on the performance timeline (launch-to-suggestions breakdown; the bench and DevTools read it). */
export function mark(name: string): void { try { performance.mark(`prc:${name}`); } catch { /* no timeline */ } }
export function setFhirRequests(n: number): void { metrics.fhirRequests = n; }
export function markSuggestionsRendered(): void {
  if (metrics.launchToSuggestionsMs !== undefined) return;
  mark('lines');
  const now = performance.now();
  metrics.launchToSuggestionsMs = Math.round(now - metrics.firstScriptAtMs);
  metrics.navigationToSuggestionsMs = Math.round(now);
}
