/**
 * Beside server-bench.ts in `npm run bench`: /api/evaluate at a fixed
 * rate from an open-loop sender that spaces requests evenly (one every 1/rate s, on a keep-alive pool of 10 sockets).
 *
 * Why: autocannon's `overallRate` gives each of its 10 connections rate/10 requests per second and sends them
 * back to back as soon as its one-second tick resets (httpClient.js `reqsMadeThisSecond`), then pauses. At 200 req/s
 * the server therefore sees a burst of 200 requests, 10 at a time, at the start of every second: the latencies it
 * reports at "200 req/s" are those of a saturated server for ~0.2 s, not of a steady 200 req/s.
 *
 * Usage: npm run build && npx tsx test/bench/steady-load.ts [rate=200] [seconds=10]
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startProductionServer } from './server-bench.js';

const root = path.resolve(import.meta.dirname, '../..');

export async function steadyLoad(url: string, rate: number, seconds: number) {
  const fixture = readFileSync(path.join(root, 'server/sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8');
  const body = Buffer.from(JSON.stringify({ bundle: JSON.parse(fixture) }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  const target = new URL(`${url}/api/evaluate`);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const one = () => new Promise<void>((resolve) => {
    const start = process.hrtime.bigint();
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) non2xx++;
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  });
  for (let i = 0; i < 300; i++) await one(); // warm-up, one at a time
  latencies.length = 0;
  const n = rate * seconds;
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait > 0) await new Promise((r) => setImmediate(r));
    pending.push(one());
  }
  await Promise.all(pending);
  const achieved = n / ((performance.now() - t0) / 1000);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN).toFixed(1));
  return { rate, achieved: Math.round(achieved), p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1), errors, non2xx };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rate = Number(process.argv[2] ?? 200);
  const seconds = Number(process.argv[3] ?? 10);
  const server = await startProductionServer();
  try {
    console.log(JSON.stringify(await steadyLoad(server.url, rate, seconds)));
  } finally {
    await server.stop();
  }
}
