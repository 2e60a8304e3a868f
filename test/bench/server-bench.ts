/**
 * /api/evaluate under load, as production runs it: the compiled server (`node dist/server/main.js`, no tsx) in its
 * own process, autocannon in this one (on a 2-core machine: one core each), loopback, a 12 KB Bundle, the request
 * log on (to /dev/null). Reports p50/p99 at fixed rates and the saturated throughput. Asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';

const root = path.resolve(import.meta.dirname, '../..');

export interface LoadFigures { rate: number; p50: number; p90: number; p99: number; rps: number; non2xx: number; errors: number }

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/** starts the compiled server and resolves once /api/readyz answers 200 */
export async function startProductionServer(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const main = path.join(root, 'dist/server/main.js');
  if (!existsSync(main)) throw new Error('dist/server/main.js is missing: run `npm run build` first');
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), DATA_DIR: 'memory://', LOG_LEVEL: 'info', ...env },
  });
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try { if ((await fetch(`${url}/api/readyz`)).ok) break; } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('the server did not become ready in 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url, child,
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}

export async function benchEvaluateUnderLoad(url: string, rates = [50, 200], durationSec = 10): Promise<{ fixed: LoadFigures[]; max: LoadFigures }> {
  const fixture = readFileSync(path.join(root, 'server/sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8');
  const body = JSON.stringify({ bundle: JSON.parse(fixture) });
  const opts = { url: `${url}/api/evaluate`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body, connections: 10 };
  const figures = (rate: number, r: autocannon.Result): LoadFigures => ({
    rate, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, rps: Math.round(r.requests.average), non2xx: r.non2xx, errors: r.errors,
  });
  // warm-up: JIT and caches, so the first measured rate is not the cold start
  await autocannon({ ...opts, duration: 5 });
  const fixed: LoadFigures[] = [];
  for (const rate of rates) fixed.push(figures(rate, await autocannon({ ...opts, overallRate: rate, duration: durationSec })));
  const max = figures(0, await autocannon({ ...opts, duration: durationSec }));
  return { fixed, max };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startProductionServer();
  try {
    console.log(JSON.stringify(await benchEvaluateUnderLoad(server.url), null, 1));
  } finally {
    await server.stop();
  }
}
