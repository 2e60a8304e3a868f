/** `npm start`: the app on PORT (default 8080) with the embedded sandbox EHR unless EHR_PROFILES is set. */
import { configFromEnv } from './config.js';
import { startServer } from './http/app.js';

try {
  const config = configFromEnv();
  const running = await startServer(config);
  const lines = [
    `Pump Refill Coder is running at ${running.url}/`,
    config.sandbox ? `  Sandbox EHR: ${running.url}/sandbox/  ← open this and click "Launch" on a patient` : '',
    `  Admin:       ${running.url}/admin  (ADMIN_USERS / ADMIN_TOKEN; the sandbox admin is Practitioner/sandbox-admin)`,
  ].filter(Boolean);
  process.stdout.write(lines.join('\n') + '\n');
  const stop = () => { void running.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
