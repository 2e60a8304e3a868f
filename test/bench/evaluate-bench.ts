/**
 * Policy engine throughput: runs every scenario of server/policy/scenarios.ts through evaluateVisit in a
 * loop for about 2 s on one core and reports evaluations per second. `npm run bench` prints the figure;
 * tests never assert on it.
 */
import { evaluateVisit } from '../../server/policy/index.js';
import { SCENARIOS } from '../../server/policy/scenarios.js';

export async function benchEvaluations(durationMs = 2000): Promise<{ evaluationsPerSecond: number; scenarios: number }> {
  // warm-up so the JIT has compiled the rules
  for (let i = 0; i < 200; i++) for (const s of SCENARIOS) evaluateVisit(s.facts, s.context);
  let evaluations = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (const s of SCENARIOS) sink += evaluateVisit(s.facts, s.context).lines.length;
    evaluations += SCENARIOS.length;
    now = performance.now();
  }
  if (sink < 0) throw new Error('unreachable');
  return { evaluationsPerSecond: Math.round(evaluations / ((now - start) / 1000)), scenarios: SCENARIOS.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchEvaluations().then((r) => console.log(JSON.stringify(r)));
}
