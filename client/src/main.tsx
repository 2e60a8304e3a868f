/** The app's entry: `/admin*` → the admin screens (lazy), everything else → the clinician's review. */
import './zodJitless'; // first: before any module parses with zod
import { mark, startMetrics } from './metrics';
import { StrictMode, Suspense, lazy, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { ReviewApp, beginLaunch } from './ReviewApp';
import './styles.css';
startMetrics();
mark('script');

const AdminApp = lazy(() => import('./admin/AdminApp').then((m) => {
  const mod = m as unknown as { default?: ComponentType; AdminApp?: ComponentType };
  return { default: (mod.default ?? mod.AdminApp) as ComponentType };
}));

const isAdmin = /^\/admin(\/|$)/.test(location.pathname);
if (!isAdmin) void beginLaunch(); // the token exchange starts before the first render
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      {isAdmin
        ? <Suspense fallback={<p className="loading">Loading the admin screens…</p>}><AdminApp /></Suspense>
        : <ReviewApp />}
    </StrictMode>,
  );
}
