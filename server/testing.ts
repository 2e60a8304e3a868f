/**
 * Starts the whole app for tests: real HTTP on a free port, the sandbox EHR, PGlite in memory (or DATABASE_URL).
 * The sandbox admin user (ADMIN_USERS unset: the sandbox's own admin by full fhirUser URL) is an administrator;
 * TEST_ADMIN_TOKEN works as the automation token.
 */
import { configFromEnv, type AppConfig } from './config.js';
import { startServer, type RunningServer } from './http/app.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

export async function startTestServer(env: Record<string, string> = {}, extra: Pick<AppConfig, 'logDestination'> = {}): Promise<RunningServer> {
  const config = configFromEnv({
    PORT: '0',
    DATA_DIR: 'memory://',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    // inline: a thread per test server would load the TypeScript sources again through tsx
    // (server/http/evaluationThreads.test.ts and the bench run the threads)
    EVALUATION_THREADS: '0',
    ...env,
  });
  return startServer({ ...config, ...extra });
}
