/**
 * The Express application: API, static client and launch page, and (when enabled) the embedded sandbox EHR.
 *
 * Start-up: the store is opened and checked, then the app is built, and only then does the server listen, so a
 * request never reaches a half-built app. The one exception is PORT=0 without PUBLIC_URL (tests): the port, and
 * with it the sandbox issuer URL, is known only once the socket is bound, so the socket is bound first and every
 * request answers 503 `starting` at once (never hangs) until the app is attached.
 *
 * Sockets: short header/request timeouts, Node's own 408/400 answers carry the security headers, and bodies are
 * limited per route (1 MB admin, 2 MB API) with a declared Content-Length over the limit refused at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { AppConfig } from '../config.js';
import { loadEhrProfiles } from '../config.js';
import { openStore, type OpenedStore } from '../store/index.js';
import { createMappingSource } from '../mappings/source.js';
import { defaultMappings } from '../mappings/defaults.js';
import { POLICY_MODULES } from '../policy/index.js';
import { requireAdmin, requireUser } from '../auth/index.js';
import { createAdminRouter } from './admin/index.js';
import { createWorklistRouter } from './worklist.js';
import { createEvaluateRouter } from './evaluate.js';
import { inlineEvaluator, startEvaluationThreads, type Evaluator } from './evaluationThreads.js';
import { createDraftsRouter } from './drafts.js';
import {
  ADMIN_BODY_LIMIT, API_BODY_LIMIT, clientErrorHandler, declaredLengthLimit, inputGuard, jsonBody, securityHeaders,
  securityHeaderSet, startingHandler,
} from './security.js';
import { directEvaluate } from './evaluateDirect.js';
import { LOGGER_KEY, errorHandler, notFound, requestId, sendError } from './errors.js';
import { createLogger, requestLog } from './log.js';
import { installWebSocketGlobal } from '../websocket-global.js';
import { frameGuard } from '../../launch/frameGuard.js';

/** the built client (dist/client, dist/launch, dist/assets): above the compiled server (dist/server[/chunks]), or from the sources */
function findDistDir(): string {
  // dist/server/main.js → dist; dist/server/chunks/x.js → dist; server/http/app.ts → ../../dist. Only the built
  // folder has assets/ and server/ side by side (the repository root has client/ and launch/ sources too).
  for (const candidate of ['..', '../..'].map((rel) => path.resolve(import.meta.dirname, rel))) {
    if (existsSync(path.join(candidate, 'assets')) && existsSync(path.join(candidate, 'server', 'main.js'))) return candidate;
  }
  return path.resolve(import.meta.dirname, '../../dist');
}
const distDir = findDistDir();

/** Node's socket limits: a client has 10 s to send its headers and 30 s for the whole request */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface RunningServer { url: string; server: Server; store: OpenedStore; close(): Promise<void> }

/** Thrown when start-up cannot complete; `message` is one line saying what to do. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new StartupError(err.code === 'EADDRINUSE'
        ? `Port ${port} on ${host} is already in use: stop the other program or set PORT to a free port.`
        : `Cannot listen on ${host}:${port} (${err.code ?? err.message}): check HOST and PORT.`));
    };
    server.once('error', onError);
    server.listen(port, host, () => { server.off('error', onError); resolve(); });
  });
}

export async function startServer(config: AppConfig): Promise<RunningServer> {
  // Logs carry no request bodies, no query strings, no ids from paths, no PHI (see ./log.ts).
  const log = createLogger(config.logLevel, config.logDestination);
  // connectionsCheckingInterval: how often Node looks for connections over those limits (default every 30 s)
  const app = express();
  const server = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000,
  });
  server.keepAliveTimeout = 5_000;

  const bindEarly = config.port === 0 && !config.publicUrl;
  let publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  // until the profiles are known, the early answers carry the header set of the sandbox-only profiles
  let early: ReturnType<typeof startingHandler> | undefined;
  if (bindEarly) {
    const provisional = securityHeaderSet([], 'http://localhost', { frameAncestors: config.frameAncestors });
    server.on('clientError', clientErrorHandler(provisional));
    early = startingHandler(provisional);
    server.on('request', early);
    await listen(server, 0, config.host);
    publicUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  }

  let store: OpenedStore | undefined;
  let evaluator: Evaluator | undefined;
  try {
    const profiles = loadEhrProfiles(config, publicUrl);
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await store.mappings.installDefaultsOnFirstStart(defaultMappings());
    const health = await store.health();
    const fatal = health.checks.find((c) => !c.ok && c.fatal && c.id !== 'mappings-present');
    if (fatal) throw new StartupError(`The store is not usable: ${fatal.message}.`);
    for (const c of health.checks.filter((x) => !x.ok)) log.warn({ check: c.id }, c.message);

    evaluator = config.evaluationThreads > 0
      ? await startEvaluationThreads(config.evaluationThreads, { onThreadExit: (info) => log.error(info, 'evaluation thread stopped; replaced') })
      : inlineEvaluator();
    const direct = await buildApp(app, config, { publicUrl, profiles, store, log, evaluator });
    if (early) {
      server.off('request', early);
      server.removeAllListeners('clientError');
    }
    server.on('clientError', clientErrorHandler(securityHeaderSet(profiles, publicUrl, { frameAncestors: config.frameAncestors })));
    // POST /api/evaluate's plain case is answered without Express (./evaluateDirect.ts); all else by the app
    server.on('request', (req, res) => { if (!direct(req, res)) app(req, res); });
    if (!bindEarly) await listen(server, config.port, config.host);
  } catch (err) {
    await new Promise<void>((resolve) => { if (server.listening) { server.close(() => resolve()); server.closeAllConnections(); } else resolve(); });
    await store?.close().catch(() => undefined);
    await evaluator?.close();
    throw err;
  }

  const opened = store;
  const evaluation = evaluator;
  return {
    url: publicUrl,
    server,
    store: opened,
    async close() {
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await Promise.all([opened.close(), evaluation.close()]);
      log.flush?.();
    },
  };
}

interface AppDeps {
  publicUrl: string;
  profiles: ReturnType<typeof loadEhrProfiles>;
  store: OpenedStore;
  log: ReturnType<typeof createLogger>;
  evaluator: Evaluator;
}

async function buildApp(app: express.Express, config: AppConfig, deps: AppDeps): Promise<ReturnType<typeof directEvaluate>> {
  const { publicUrl, profiles, store, log, evaluator } = deps;
  const mappingSource = createMappingSource(store);
  // With the sandbox on and no ADMIN_USERS, the sandbox's own admin (full fhirUser URL, so no other EHR's
  // Practitioner/sandbox-admin qualifies) may administer: a first run can try the admin screens.
  const adminUsers = config.adminUsers.length || !config.sandbox ? config.adminUsers : [`${publicUrl}/sandbox/fhir/Practitioner/sandbox-admin`];
  const access = {
    store, profiles, adminToken: config.adminToken, adminUsers, billingUsers: config.billingUsers,
    publicOrigin: new URL(publicUrl).origin,
  };

  app.disable('x-powered-by');
  // no ETag computed by hashing every JSON answer: the API is no-store, and the admin API sets its own version ETags
  app.set('etag', false);
  app.set('trust proxy', Boolean(config.publicUrl));
  app.set(LOGGER_KEY, log);
  const headers = securityHeaderSet(profiles, publicUrl, { frameAncestors: config.frameAncestors });
  app.use(securityHeaders(headers));
  app.use(requestId);
  app.use(requestLog(log));

  if (config.sandbox) {
    // Medplum (the sandbox's FHIR engine) needs a global WebSocket class at load; Node 20 has none without a flag
    installWebSocketGlobal();
    const { createSandbox } = await import('../sandbox/index.js');
    const sandbox = await createSandbox({ publicUrl });
    app.use('/sandbox', sandbox.router);
  }

  const api = express.Router();
  api.use((_req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  api.get('/healthz', (_req, res) => { res.json({ ok: true }); });
  api.get('/readyz', async (_req, res) => {
    const health = await store.health();
    const reasons = health.checks.filter((c) => !c.ok && c.fatal).map((c) => c.message);
    const problems = health.checks.filter((c) => !c.ok && !c.fatal).map((c) => c.message);
    res.status(health.ok ? 200 : 503).json({
      ok: health.ok, ...(reasons.length ? { reason: reasons.join('; ') } : {}), ...(problems.length ? { problems } : {}),
      checks: health.checks.map(({ id, ok, message }) => ({ id, ok, message })), counts: health.counts,
    });
  });
  api.get('/ehr-profiles', (_req, res) => { res.json({ profiles }); });
  api.get('/policies', (_req, res) => { res.json({ policies: POLICY_MODULES }); });
  // Admin and worklist read their own bodies (1 MB, after authentication); nothing else reaches them.
  api.use('/admin', declaredLengthLimit(ADMIN_BODY_LIMIT), inputGuard);
  // the store's health as the admin screens need it: an emptied mapping table is an admin problem, not a silent fallback
  api.get('/admin/store-health', requireAdmin(access), async (_req, res) => {
    const health = await store.health();
    res.json({ ok: health.ok, mappingsEmpty: health.mappingsEmpty,
      problems: health.checks.filter((c) => !c.ok).map(({ id, message, fatal }) => ({ id, message, blocking: fatal })) });
  });
  api.use('/admin', createAdminRouter(access));
  api.use('/worklist', declaredLengthLimit(64 * 1024), inputGuard, createWorklistRouter(access));
  // /evaluate reads its body as text for the evaluation threads; everything after it gets parsed JSON
  api.use(createEvaluateRouter(mappingSource, evaluator));
  api.use(jsonBody(API_BODY_LIMIT));
  api.use(createDraftsRouter({ store, profiles, requireUser: requireUser(access), mappingSource, inProgressMs: config.writeInProgressMs }));
  api.use(notFound);
  api.use(errorHandler(log));
  app.use('/api', api);

  // The built client: the launch page, the app (also under /admin), and hashed assets. No bodies here.
  app.use(declaredLengthLimit(64 * 1024));
  // The pages carry the EHR profiles (the answer of GET /api/ehr-profiles) as a JSON data block, so the launch page
  // and the review read them without a round trip before the SMART redirect and the record's reads. A data block
  // is not run (CSP script-src does not apply); "<" is escaped so no value can close the element.
  const profilesBlock = `<script type="application/json" id="prc-ehr-profiles">${JSON.stringify({ profiles }).replace(/</g, '\\u003c')}</script>`;
  // built once per file and kept until the file changes (a rebuild while the server runs)
  const rendered = new Map<string, { mtimeMs: number; html: string }>();
  const page = (file: string) => (_req: express.Request, res: express.Response) => {
    const full = path.join(distDir, file);
    let html: string;
    try {
      const { mtimeMs } = statSync(full);
      const cached = rendered.get(full);
      html = cached?.mtimeMs === mtimeMs ? cached.html
        : readFileSync(full, 'utf8').replace('</head>', () => `${profilesBlock}\n</head>`);
      rendered.set(full, { mtimeMs, html });
    } catch {
      sendError(res, 503, 'unavailable', 'The client is not built yet: run `npm run build` (npm start does it for you).');
      return;
    }
    res.set('Cache-Control', 'no-cache').type('html').send(html);
  };
  app.get('/launch.html', frameGuard(new URL(publicUrl).origin), page('launch/launch.html'));
  app.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  app.get(['/', '/index.html', '/admin', '/admin/{*rest}'], page('client/index.html'));
  app.use(notFound);
  app.use(errorHandler(log));
  return directEvaluate({ evaluator, mappingSource, log, securityHeaders: headers });
}
