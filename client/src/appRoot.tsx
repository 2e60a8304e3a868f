/** React and the screens: a chunk of its own, loaded by main.tsx while the token exchange is already under way. */
import { StrictMode, Suspense, lazy, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { ReviewApp } from './ReviewApp';

const AdminApp = lazy(() => import('./admin/AdminApp').then((m) => {
  const mod = m as unknown as { default?: ComponentType; AdminApp?: ComponentType };
  return { default: (mod.default ?? mod.AdminApp) as ComponentType };
}));

export function renderApp(root: HTMLElement, isAdmin: boolean): void {
  createRoot(root).render(
    <StrictMode>
      {isAdmin
        ? <Suspense fallback={<p className="loading">Loading the admin screens…</p>}><AdminApp /></Suspense>
        : <ReviewApp />}
    </StrictMode>,
  );
}
