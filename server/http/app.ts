/**
 * The Express application: API, static client and launch page, and (when enabled) the embedded sandbox EHR.
 * `startServer` listens first so that the public URL (and with it the sandbox issuer) is known even on port 0.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import type { AppConfig } from '../config.js';
import { loadEhrProfiles } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import { createMappingSource } from '../mappings/source.js';
import { defaultMappings } from '../mappings/defaults.js';
import { POLICY_MODULES } from '../policy/index.js';
import { requireUser } from '../auth/index.js';
import { createAdminRouter } from './admin/index.js';
import { createWorklistRouter } from './worklist.js';
import { createEvaluateRouter } from './evaluate.js';
import { createDraftsRouter } from './drafts.js';
import { securityHeaders } from './security.js';
import { frameGuard } from '../../launch/frameGuard.js';
import { errorHandler, notFound } from './errors.js';

const distDir = path.resolve(import.meta.dirname, '../../dist');

export interface RunningServer { url: string; server: Server; store: Store; close(): Promise<void> }

export async function startServer(config: AppConfig): Promise<RunningServer> {
  // Logs carry no request bodies, no query strings with tokens, no PHI: only method, path and status.
  const logOptions = { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  const log = config.logDestination ? pino(logOptions, config.logDestination) : pino(logOptions);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const port = (server.address() as { port: number }).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;

  const profiles = loadEhrProfiles(config, publicUrl);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await store.mappings.installDefaultsOnFirstStart(defaultMappings());
  const mappingSource = createMappingSource(store);
  // With the sandbox on and no ADMIN_USERS, the sandbox's own admin (full fhirUser URL, so no other EHR's
  // Practitioner/sandbox-admin qualifies) may administer: a first run can try the admin screens.
  const adminUsers = config.adminUsers.length || !config.sandbox ? config.adminUsers : [`${publicUrl}/sandbox/fhir/Practitioner/sandbox-admin`];
  const access = {
    store, profiles, adminToken: config.adminToken, adminUsers, billingUsers: config.billingUsers,
    publicOrigin: new URL(publicUrl).origin,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', Boolean(config.publicUrl));
  app.use(securityHeaders(profiles, publicUrl));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request'));
    next();
  });

  if (config.sandbox) {
    const { createSandbox } = await import('../sandbox/index.js');
    const sandbox = await createSandbox({ publicUrl });
    app.use('/sandbox', sandbox.router);
  }

  const api = express.Router();
  api.use(express.json({ limit: '2mb' }));
  api.use((_req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  api.get('/healthz', (_req, res) => { res.json({ ok: true }); });
  api.get('/ehr-profiles', (_req, res) => { res.json({ profiles }); });
  api.get('/policies', (_req, res) => { res.json({ policies: POLICY_MODULES }); });
  api.use(createEvaluateRouter(mappingSource));
  api.use(createDraftsRouter({ store, profiles, requireUser: requireUser(access) }));
  api.use('/admin', createAdminRouter(access));
  api.use('/worklist', createWorklistRouter(access));
  api.use(notFound);
  app.use('/api', api);

  // The built client: the launch page, the app (also under /admin), and hashed assets.
  const page = (file: string) => (_req: express.Request, res: express.Response) => {
    const full = path.join(distDir, file);
    if (!existsSync(full)) {
      res.status(503).type('text/plain').send('The client is not built yet: run `npm run build` (npm start does it for you).');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(full);
  };
  app.get('/launch.html', frameGuard(new URL(publicUrl).origin), page('launch/launch.html'));
  app.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  app.get(['/', '/index.html', '/admin', '/admin/{*rest}'], page('client/index.html'));
  app.use(notFound);
  app.use(errorHandler(log));

  server.on('request', app);
  return {
    url: publicUrl,
    server,
    store,
    async close() {
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await store.close();
    },
  };
}
