/**
 * Whether this document may use sessionStorage: a third-party frame whose storage the browser blocks throws
 * ("Access is denied") on access. The launch page and the app's first script both ask before any SMART step.
 */
export function storageUsable(): boolean {
  try {
    const store = window.sessionStorage;
    store.setItem('prc-probe', '1');
    store.removeItem('prc-probe');
    return true;
  } catch {
    return false;
  }
}
