/**
 * The embedded sandbox EHR: a FHIR R4 server (Medplum's router over its in-memory repository), a SMART
 * authorization server, vendor modes (generic, Epic, Oracle Health) and a home page. Mounted by the app at /sandbox:
 *
 *   const sandbox = await createSandbox({ publicUrl });
 *   app.use('/sandbox', sandbox.router);
 *
 * Production code never imports this module except at server start-up.
 */
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SandboxUrls } from './bases.js';
import { Directory } from './directory.js';
import { createFhirEndpoint } from './fhir-pipeline.js';
import { FormTokens } from './forms.js';
import { createHomeRouter } from './home.js';
import { TENANT_PATTERN } from './modes/oracle.js';
import { createOAuthRouter, createSigningKey } from './oauth.js';
import { DEFAULT_FIXTURES_DIR, indexFhirDefinitions, seed } from './repository.js';
import { AuthState } from './state.js';

export const SANDBOX_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
  + "form-action 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'";

export interface SandboxOptions {
  /** the app's public URL, e.g. "http://localhost:8080" (no trailing slash) */
  publicUrl: string;
  /** directory of fixture Bundles (*.json); default server/sandbox/fixtures */
  fixturesDir?: string;
  /** the clock of the authorization server (tests move it to expire tokens); default Date.now */
  now?: () => number;
}

export interface Sandbox {
  router: express.Router;
  /** the FHIR repository behind every mode (for tests) */
  repo: MemoryRepository;
  /** the sandbox's URLs (FHIR bases, authorize, token …) */
  urls: SandboxUrls;
  /** removes everything written and reloads the fixtures (tokens and launches stay valid) */
  reset(): Promise<void>;
}

export async function createSandbox(opts: SandboxOptions): Promise<Sandbox> {
  indexFhirDefinitions();
  const urls = new SandboxUrls(opts.publicUrl);
  const fixturesDir = opts.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  const repo = new MemoryRepository();
  await seed(repo, fixturesDir);
  const fhir = new FhirRouter();
  const state = new AuthState(opts.now);
  const forms = new FormTokens(opts.now);
  const directory = new Directory(repo);
  const key = await createSigningKey();
  const reset = async () => {
    repo.clear();
    await seed(repo, fixturesDir);
  };

  const router = express.Router();
  // The sandbox is a test EHR whose server-rendered pages carry one inline <style> block: it gets its own,
  // relaxed policy (inline styles only; still no inline script), replacing the app's stricter one.
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', SANDBOX_CSP);
    next();
  });
  router.use(createOAuthRouter({ urls, state, directory, key }));
  router.use('/fhir', createFhirEndpoint({ urls, state, repo, fhir, baseOf: () => urls.base('generic') }));
  router.use('/epic/fhir', createFhirEndpoint({ urls, state, repo, fhir, baseOf: () => urls.base('epic') }));
  router.use('/oracle/:tenant/fhir', createFhirEndpoint({
    urls, state, repo, fhir,
    baseOf: (req) => {
      const tenant = req.params.tenant;
      return typeof tenant === 'string' && TENANT_PATTERN.test(tenant) && tenant === tenant.toLowerCase() ? urls.base('oracle', tenant) : undefined;
    },
  }));
  router.use(createHomeRouter({ urls, state, directory, forms, reset }));
  router.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found in the sandbox EHR');
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) res.status(status).type('text/plain').send('Bad request to the sandbox EHR');
    else res.status(500).type('text/plain').send('Sandbox EHR error');
  });

  return { router, repo, urls, reset };
}
