/**
 * The administrator's screens (rendered by the app shell for every path under /admin): sign-in, then tabs for
 * payer mappings, preview, import/export, the audit log and the billing worklist. One page component per file.
 */
import '../zodJitless'; // first: before any admin schema parses (zod comes with this chunk)
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import './admin.css';
import { AdminApi } from './api.js';
import { completeSignIn } from './auth.js';
import { browserSessionStore, hasAuthResponse, type AdminSession } from './session.js';
import { strings } from './strings.js';
import { Banner } from './widgets.js';
import { displayUser } from './words.js';
import SignInPage from './SignInPage.js';
import MappingsPage from './MappingsPage.js';
import MappingEditPage from './MappingEditPage.js';
import PreviewPage from './PreviewPage.js';
import ImportExportPage from './ImportExportPage.js';
import AuditPage from './AuditPage.js';
import WorklistPage from './WorklistPage.js';

export type Navigate = (path: string, flash?: string) => void;

const TABS = [
  { path: '/admin/mappings', label: 'Mappings', testId: 'admin-tab-mappings' },
  { path: '/admin/preview', label: 'Preview', testId: 'admin-tab-preview' },
  { path: '/admin/import-export', label: 'Import / Export', testId: 'admin-tab-import-export' },
  { path: '/admin/audit', label: 'Audit log', testId: 'admin-tab-audit' },
  { path: '/admin/worklist', label: 'Worklist', testId: 'admin-tab-worklist' },
] as const;

const store = browserSessionStore(typeof sessionStorage === 'undefined' ? undefined : sessionStorage);

export default function AdminApp() {
  const [session, setSession] = useState<AdminSession | undefined>(() => store.get());
  const [completing, setCompleting] = useState(() => hasAuthResponse(window.location.search));
  const [authMessage, setAuthMessage] = useState<string>();
  const [path, setPath] = useState(() => window.location.pathname);
  const [flash, setFlash] = useState<string>();
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const mainRef = useRef<HTMLElement>(null);

  const signIn = useCallback((s: AdminSession | undefined, message?: string) => {
    store.set(s);
    setSession(s);
    setAuthMessage(message);
  }, []);

  // Return from the EHR with code/state: finish the SMART launch once.
  const completed = useRef(false);
  useEffect(() => {
    if (!completing || completed.current) return;
    completed.current = true;
    completeSignIn()
      .then((s) => signIn(s))
      .catch((e: unknown) => signIn(undefined, strings.signInFailed(e instanceof Error ? e.message : String(e))))
      .finally(() => { setCompleting(false); setPath(window.location.pathname); });
  }, [completing, signIn]);

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const api = useMemo(() => new AdminApi({
    getToken: () => sessionRef.current?.token,
    getFhirUser: () => sessionRef.current?.fhirUser,
    onAuthError: (f) => { if (f.kind === 'unauthorized') signIn(undefined, f.message); },
  }), [signIn]);

  const navigate: Navigate = useCallback((to, message) => {
    if (to !== window.location.pathname) window.history.pushState(null, '', to);
    setPath(to);
    setFlash(message);
    // move focus to the new page for keyboard and screen-reader users
    requestAnimationFrame(() => mainRef.current?.focus());
  }, []);

  if (completing) return <div className="adm" aria-busy="true"><main className="adm-signin"><h1>Signing in…</h1></main></div>;
  if (!session) return <div className="adm"><SignInPage message={authMessage} onSignedIn={(s) => signIn(s)} /></div>;

  const route = path.replace(/\/+$/, '') || '/admin';
  const editMatch = /^\/admin\/mappings\/([^/]+)$/.exec(route);
  let page;
  if (editMatch) page = <MappingEditPage key={editMatch[1]} api={api} id={decodeURIComponent(editMatch[1]!)} navigate={navigate} />;
  else if (route === '/admin/preview') page = <PreviewPage api={api} />;
  else if (route === '/admin/import-export') page = <ImportExportPage api={api} />;
  else if (route === '/admin/audit') page = <AuditPage api={api} me={{ ...(session.fhirUser ? { fhirUser: session.fhirUser } : {}), ...(session.name ? { name: session.name } : {}) }} />;
  else if (route === '/admin/worklist') page = <WorklistPage api={api} />;
  else page = <MappingsPage api={api} navigate={navigate} />;
  const activeTab = TABS.find((t) => route === t.path || route.startsWith(`${t.path}/`))?.path ?? '/admin/mappings';

  return (
    <div className="adm">
      <header className="adm-header">
        <span className="adm-title">Pump Refill Coder · Administration</span>
        <span className="adm-user" data-testid="admin-user" title={session.fhirUser}>
          Signed in as {displayUser(session)}
        </span>
        <button type="button" className="adm-btn adm-btn--small" data-testid="admin-signout"
          onClick={() => signIn(undefined)}>Sign out</button>
      </header>
      <nav className="adm-tabs" aria-label="Administration" data-testid="admin-nav">
        {TABS.map((t) => (
          <a key={t.path} href={t.path} aria-current={activeTab === t.path ? 'page' : undefined} data-testid={t.testId}
            onClick={(e) => {
              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
              e.preventDefault(); navigate(t.path);
            }}>{t.label}</a>
        ))}
      </nav>
      <main className="adm-main" ref={mainRef} tabIndex={-1}>
        {flash && <Banner kind="success" testId="admin-flash">{flash}</Banner>}
        {page}
      </main>
    </div>
  );
}
