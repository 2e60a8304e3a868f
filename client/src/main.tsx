/**
 * The app's entry: `/admin*` → the admin screens (lazy), everything else → the clinician's review. The entry stays
 * small (no React, no zod): it starts the token exchange at once, then loads React and the screens (appRoot) beside it.
 */
import { mark, startMetrics } from './metrics';
import { beginLaunch } from './smart/beginLaunch';
import { prepareReadWorker } from './fhir/readOffThread';
import './styles.css';
startMetrics();
mark('script');

const isAdmin = /^\/admin(\/|$)/.test(location.pathname);
// the token exchange, then the record's reads, start before React is even parsed
if (!isAdmin) {
  prepareReadWorker(); // the record is read in a worker; it starts up while the token is exchanged
  void beginLaunch();
  // the response schemas (zod) load and compile while the token and the reads are under way: parsing the first
  // evaluation waited ~80 ms for this chunk when React's chunk asked for it (api/evaluate.ts awaits the same module)
  void import('./api/schemas').catch(() => undefined);
}
const root = document.getElementById('root');
if (root) {
  void import('./appRoot').then((m) => m.renderApp(root, isAdmin), () => {
    root.textContent = 'The app could not load. Reload the page.';
  });
}
