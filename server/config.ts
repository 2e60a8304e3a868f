/**
 * Server configuration from the environment (DESIGN.md "Fixed addresses and settings"), validated once at start.
 */
import { readFileSync } from 'node:fs';
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
  /** comma-separated fhirUser values (full URL or "Practitioner/id") allowed to administer */
  ADMIN_USERS: z.string().default(''),
  /** comma-separated fhirUser values allowed to read and export the billing worklist (admins always may) */
  BILLING_USERS: z.string().default(''),
  /** path of a JSON file { profiles: EhrProfile[] }; default: the sandbox profiles only */
  EHR_PROFILES: z.string().optional(),
  /** serve the embedded sandbox EHR at /sandbox (default: on when EHR_PROFILES is unset) */
  SANDBOX: z.enum(['on', 'off']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
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
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** where pino writes (default stdout); tests pass a stream to inspect the log */
  logDestination?: NodeJS.WritableStream;
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: e.DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
    adminUsers: list(e.ADMIN_USERS),
    billingUsers: list(e.BILLING_USERS),
    ehrProfilesFile: e.EHR_PROFILES,
    sandbox: e.SANDBOX ? e.SANDBOX === 'on' : !e.EHR_PROFILES,
    logLevel: e.LOG_LEVEL,
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
