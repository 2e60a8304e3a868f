/**
 * Server configuration from the environment (DESIGN.md "Fixed addresses and settings"), validated once at start.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { EhrProfilesFile, sandboxProfiles, type EhrProfile } from '../launch/profiles.js';

const Env = z.object({
  /** port the app listens on; 0 picks a free one (tests) */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** the public origin when behind a proxy, e.g. https://pump.example.org; defaults to http://localhost:PORT */
  PUBLIC_URL: z.string().url().optional(),
  /** PostgreSQL connection string; when unset the embedded PGlite store in DATA_DIR is used */
  DATABASE_URL: z.string().optional(),
  /** where PGlite keeps its files ("memory://" keeps nothing) */
  DATA_DIR: z.string().default('./data'),
  /** bearer token for admin automation; at least 32 characters when set */
  ADMIN_TOKEN: z.string().min(32, 'ADMIN_TOKEN must be at least 32 characters').optional(),
  /**
   * comma-separated full fhirUser URLs allowed to administer, e.g. https://ehr.example/fhir/Practitioner/123.
   * The URL names the EHR (its FHIR base must be the id_token's issuer, of a profile with adminSignIn: true) and
   * the user: a relative "Practitioner/123" would match that id on every EHR, so it is refused at start.
   */
  ADMIN_USERS: z.string().default(''),
  /** comma-separated full fhirUser URLs allowed to read and export the billing worklist (admins always may) */
  BILLING_USERS: z.string().default(''),
  /** path of a JSON file { profiles: EhrProfile[] }; default: the sandbox profiles only */
  EHR_PROFILES: z.string().optional(),
  /** serve the embedded sandbox EHR at /sandbox (default: on when EHR_PROFILES is unset) */
  SANDBOX: z.enum(['on', 'off']).optional(),
  /**
   * the interface to listen on; default 127.0.0.1 (this machine only) while the sandbox runs, else 0.0.0.0.
   * In production behind a reverse proxy on the same host keep 127.0.0.1; in a container set 0.0.0.0.
   */
  HOST: z.string().regex(/^[A-Za-z0-9.:\-[\]]{1,255}$/, 'expected a host name or IP address').optional(),
  /**
   * comma-separated origins (https://host[:port]) of the EHR screens that show the app in a frame, added to
   * CSP frame-ancestors beside the FHIR issuers' origins: Epic Hyperspace/Hyperdrive and Oracle PowerChart
   * serve their UI from customer-specific hosts that are not the FHIR host (see README)
   */
  FRAME_ANCESTORS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  /**
   * worker threads that run /api/evaluate's work (server/http/evaluationThreads.ts); default: the cores less one
   * (1 on 2 cores); 0 runs it on the HTTP thread
   */
  EVALUATION_THREADS: z.coerce.number().int().min(0).max(32).optional(),
  /** how long a pending write-back reservation counts as a write in flight (ms; default 30 s; the fault tests shorten it) */
  WRITE_IN_PROGRESS_MS: z.coerce.number().int().min(0).max(600_000).optional(),
});

export interface AppConfig {
  port: number;
  /** set once the port is known (port 0) */
  publicUrl?: string;
  databaseUrl?: string;
  dataDir: string;
  adminToken?: string;
  adminUsers: string[];
  billingUsers: string[];
  ehrProfilesFile?: string;
  sandbox: boolean;
  /** interface to listen on */
  host: string;
  /** extra CSP frame-ancestors origins (EHR UI hosts) */
  frameAncestors: string[];
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** worker threads for /api/evaluate (0: on the HTTP thread) */
  evaluationThreads: number;
  /** write-back: how long a pending ledger reservation counts as in flight (ms; undefined: the default 30 s) */
  writeInProgressMs?: number;
  /** where pino writes (default stdout); tests pass a stream to inspect the log */
  logDestination?: NodeJS.WritableStream;
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** a full fhirUser URL: http(s)://host/…/Type/id */
const FULL_FHIR_USER = /^https?:\/\/[^/\s]+(\/[^\s]*)?\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/** ADMIN_USERS / BILLING_USERS entries must be full fhirUser URLs: the one-line reason otherwise */
export function userListProblem(name: string, entries: string[]): string | null {
  for (const entry of entries) {
    if (FULL_FHIR_USER.test(entry)) continue;
    const tail = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(entry)?.[1];
    return tail && entry === tail
      ? `${name}: "${entry}" is not a full fhirUser URL, so it would match that id on every EHR; write it with its EHR's FHIR base, e.g. https://ehr.example.org/fhir/${tail} (the sandbox's admin is http://localhost:8080/sandbox/fhir/Practitioner/sandbox-admin)`
      : `${name}: "${entry}" is not a full fhirUser URL such as https://ehr.example.org/fhir/Practitioner/123`;
  }
  return null;
}

function originList(name: string, raw: string): string[] {
  return list(raw).map((o) => {
    let u: URL;
    try { u = new URL(o); } catch { throw new Error(`Invalid configuration: ${name}: "${o}" is not an origin such as https://ehr-ui.example.org`); }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/+$/, '')) {
      throw new Error(`Invalid configuration: ${name}: "${o}" is not an origin such as https://ehr-ui.example.org (scheme and host only, no path)`);
    }
    return u.origin;
  });
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const adminUsers = list(e.ADMIN_USERS);
  const billingUsers = list(e.BILLING_USERS);
  const problem = userListProblem('ADMIN_USERS', adminUsers) ?? userListProblem('BILLING_USERS', billingUsers);
  if (problem) throw new Error(`Invalid configuration: ${problem}`);
  const sandbox = e.SANDBOX ? e.SANDBOX === 'on' : !e.EHR_PROFILES;
  return {
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: e.DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
    adminUsers,
    billingUsers,
    ehrProfilesFile: e.EHR_PROFILES,
    sandbox,
    host: e.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    frameAncestors: originList('FRAME_ANCESTORS', e.FRAME_ANCESTORS),
    logLevel: e.LOG_LEVEL,
    // one per core from 2 cores up: the HTTP thread is idle most of the time (~0.3 ms a request, a third of it the
    // socket write) and shares a core well. On 2 cores, five interleaved bench runs each: 2 threads 1,708 req/s at most
    // and p99 5.9 ms at 200 req/s (medians), 1 thread 1,630 and 6.8 (bursts of 10 at once fare worse with 2: 15–19 vs 12–16)
    evaluationThreads: e.EVALUATION_THREADS ?? (availableParallelism() >= 2 ? availableParallelism() : 0),
    ...(e.WRITE_IN_PROGRESS_MS !== undefined ? { writeInProgressMs: e.WRITE_IN_PROGRESS_MS } : {}),
  };
}

/** The EHR profiles in force: the configured file, plus the sandbox's own when the sandbox runs. */
export function loadEhrProfiles(config: AppConfig, publicUrl: string): EhrProfile[] {
  const profiles: EhrProfile[] = config.sandbox ? sandboxProfiles(publicUrl) : [];
  if (config.ehrProfilesFile) {
    const raw: unknown = JSON.parse(readFileSync(config.ehrProfilesFile, 'utf8'));
    const file = EhrProfilesFile.safeParse(raw);
    if (!file.success) {
      throw new Error(`EHR_PROFILES ${config.ehrProfilesFile}: ${file.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    profiles.push(...file.data.profiles);
  }
  if (profiles.length === 0) throw new Error('No EHR profiles: set EHR_PROFILES or run with the sandbox');
  return profiles;
}
