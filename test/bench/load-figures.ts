/**
 * The /api/evaluate load figures (autocannon at fixed rates and saturated, then the evenly spaced sender), printed as
 * one JSON line. `npm run bench` runs this file in a process of its own: a load generator that shares its heap with
 * the other benchmarks (hundreds of MB of extraction and mapping work) pauses for its own garbage collections, and
 * those pauses were counted as server latency (the evenly spaced p99 at 200 req/s read 13–18 ms in the bench
 * process, 5–10 ms from a fresh one, against the same server).
 *
 * Usage: npx tsx test/bench/load-figures.ts <server url>
 */
import { spawn } from 'node:child_process';
import { benchEvaluateUnderLoad, type LoadFigures } from './server-bench.js';
import { steadyLoad } from './steady-load.js';

export interface AllLoadFigures {
  load: { fixed: LoadFigures[]; max: LoadFigures };
  steady: Awaited<ReturnType<typeof steadyLoad>>;
}

async function measure(url: string): Promise<AllLoadFigures> {
  const load = await benchEvaluateUnderLoad(url);
  const steady = await steadyLoad(url, 200, 10);
  return { load, steady };
}

/** runs this file in a fresh Node process (tsx's loader) and returns its figures */
export function loadFiguresFromOwnProcess(url: string): Promise<AllLoadFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exited with ${code}`);
        resolve(JSON.parse(last) as AllLoadFigures);
      } catch (err) {
        reject(new Error(`the load generator failed (${(err as Error).message}): ${last.slice(0, 200)}`));
      }
    });
  });
}

if (import.meta.filename === process.argv[1]) {
  console.log(JSON.stringify(await measure(process.argv[2]!)));
}
