/**
 * `npm start`: the app on HOST:PORT (default 127.0.0.1:8080 with the embedded sandbox EHR unless EHR_PROFILES is
 * set). Runs as plain `node dist/server/main.js` (built by `npm run build`), or from source with tsx in development.
 * Any start-up failure (configuration, store, port) ends the process with one line on stderr and exit code 1.
 */
import './websocket-global.js';
import { configFromEnv } from './config.js';
import { startServer } from './http/app.js';

try {
  const config = configFromEnv();
  const running = await startServer(config);
  const local = config.host === '127.0.0.1' || config.host === 'localhost' || config.host === '::1';
  const lines = [
    `Pump Refill Coder is running at ${running.url}/ (listening on ${config.host}:${new URL(running.url).port || config.port}${local ? ', this machine only' : ''})`,
    config.sandbox ? `  Sandbox EHR: ${running.url}/sandbox/  ← open this and click "Launch" on a patient` : '',
    `  Admin:       ${running.url}/admin  (ADMIN_USERS / ADMIN_TOKEN${config.sandbox && !config.adminUsers.length ? `; the sandbox admin is ${running.url}/sandbox/fhir/Practitioner/sandbox-admin` : ''})`,
  ].filter(Boolean);
  process.stdout.write(lines.join('\n') + '\n');
  const stop = () => { void running.close().then(() => process.exit(0), () => process.exit(1)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`${String((err as Error)?.message ?? err).split('\n')[0]}\n`);
  process.exit(1);
}
