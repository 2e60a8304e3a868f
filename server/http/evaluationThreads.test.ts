/**
 * The evaluation threads give exactly the answers and errors of the inline evaluation (the same function runs in
 * both), see mapping changes at once, and survive a thread that dies or hangs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultMappingsAsStored } from '../mappings/index.js';
import type { PayerMapping } from '../contracts/index.js';
import { HttpError } from './httpError.js';
import { inlineEvaluator, startEvaluationThreads, type Evaluator } from './evaluationThreads.js';
import { startTestServer } from '../testing.js';

const root = path.resolve(import.meta.dirname, '../..');
const records = [
  ...readdirSync(path.join(root, 'server/sandbox/fixtures')).filter((f) => f.endsWith('.json')).map((f) => path.join(root, 'server/sandbox/fixtures', f)),
  ...readdirSync(path.join(root, 'test/corpus/records')).filter((f) => f.endsWith('.json')).map((f) => path.join(root, 'test/corpus/records', f)),
];
const mappings = defaultMappingsAsStored();
const inline = inlineEvaluator();

/** what an evaluation gave: the JSON text, or the error's class, status, code, message and details */
async function outcome(e: Evaluator, text: string | undefined, m: PayerMapping[] = mappings) {
  try {
    return { json: await e.evaluate(text, m) };
  } catch (err) {
    const x = err as HttpError & { details?: unknown };
    return { error: { cls: x.constructor.name, status: x.status, code: x.code, message: x.message, details: x.details } };
  }
}

describe('evaluation threads', () => {
  let threads: Awaited<ReturnType<typeof startEvaluationThreads>>;
  beforeAll(async () => { threads = await startEvaluationThreads(1); }, 60_000);
  afterAll(async () => { await threads.close(); });

  it(`answers every sandbox and corpus record exactly as inline (${records.length} records)`, async () => {
    expect(records.length).toBeGreaterThan(30);
    for (const file of records) {
      const text = JSON.stringify({ bundle: JSON.parse(readFileSync(file, 'utf8')) });
      const [a, b] = await Promise.all([outcome(threads, text), outcome(inline, text)]);
      expect(a, path.basename(file)).toEqual(b);
      expect(a.json, path.basename(file)).toContain('"determination"');
    }
  });

  it('refuses bad input with the same errors as inline', async () => {
    const deep = `{"facts":{},"overrides":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`;
    const cases: (string | undefined)[] = [
      undefined, '', '   ', '"a string"', '{not json', '[]', '{"bundle":{"resourceType":"Patient"}}',
      '{"facts":{"serviceDate":"2026-02-30"}}', deep, '{"facts":{"x":"\\u0000"}}',
      JSON.stringify({ bundle: JSON.parse(readFileSync(records[0]!, 'utf8')), overrides: { serviceDate: 12 } }),
    ];
    for (const text of cases) {
      const [a, b] = await Promise.all([outcome(threads, text), outcome(inline, text)]);
      expect(a.error, String(text).slice(0, 40)).toBeDefined();
      expect(a, String(text).slice(0, 40)).toEqual(b);
      // the errors the shared handler answers with a 4xx (BadBundleError → 400 invalid-bundle)
      expect(['HttpError', 'BadBundleError', 'InvalidOverridesError'], String(text).slice(0, 40)).toContain(a.error!.cls);
      if (a.error!.cls === 'HttpError') expect(a.error!.status, String(text).slice(0, 40)).toBeLessThan(500);
    }
  });

  it('evaluates with the mappings passed in, sending them again only when they change', async () => {
    const text = JSON.stringify({ bundle: JSON.parse(readFileSync(path.join(root, 'server/sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8')) });
    const posted = vi.spyOn(threads.workers()[0]!, 'postMessage');
    const mappingMessages = () => posted.mock.calls.filter(([m]) => (m as { kind?: string }).kind === 'mappings').length;
    const withDefaults = JSON.parse(await threads.evaluate(text, mappings)).mapping;
    await threads.evaluate(text, mappings);
    expect(withDefaults.matched).toBe(true);
    expect(mappingMessages()).toBe(0); // the thread has had these since the first test
    const none = JSON.parse(await threads.evaluate(text, [])).mapping;
    expect(none.matched).toBe(false);
    expect(JSON.parse(await threads.evaluate(text, mappings)).mapping).toEqual(withDefaults);
    expect(mappingMessages()).toBe(2); // [] once, then the defaults again
    posted.mockRestore();
  });

  it('replaces a thread that dies: its requests answer 503, the next ones are answered', async () => {
    const text = JSON.stringify({ bundle: JSON.parse(readFileSync(records[0]!, 'utf8')) });
    const [worker] = threads.workers();
    const inFlight = outcome(threads, text);
    await worker!.terminate();
    const lost = await inFlight;
    // the request either finished before the thread stopped, or was answered 503 (never left hanging)
    if (lost.error) expect(lost.error).toMatchObject({ cls: 'HttpError', status: 503, code: 'unavailable' });
    else expect(lost.json).toContain('"determination"');
    expect((await outcome(threads, text)).json).toContain('"determination"');
    expect(threads.workers()[0]).not.toBe(worker);
  }, 60_000);

  it('stops an evaluation that takes too long (503) and replaces its thread', async () => {
    const slow = await startEvaluationThreads(1, { timeoutMs: 1 });
    try {
      const [first] = slow.workers();
      const text = JSON.stringify({ bundle: JSON.parse(readFileSync(records[0]!, 'utf8')) });
      // a fresh thread needs far more than 1 ms for its first (not yet compiled) evaluation
      expect((await outcome(slow, text)).error).toMatchObject({ cls: 'HttpError', status: 503, code: 'unavailable' });
      await expect.poll(() => slow.workers()[0] !== first, { timeout: 30_000 }).toBe(true);
    } finally {
      await slow.close();
    }
  }, 60_000);
});

describe('/api/evaluate on evaluation threads', () => {
  it('answers as inline over HTTP, errors included', async () => {
    const server = await startTestServer({ EVALUATION_THREADS: '1' });
    const plain = await startTestServer();
    try {
      const body = JSON.stringify({ bundle: JSON.parse(readFileSync(records[0]!, 'utf8')) });
      for (const [text, type] of [[body, 'application/json'], ['{oops', 'application/json'], [body, 'application/json; charset=latin1'], ['', 'application/json']] as const) {
        const [a, b] = await Promise.all([server, plain].map(async (s) => {
          const r = await fetch(`${s.url}/api/evaluate`, { method: 'POST', headers: { 'content-type': type }, body: text });
          const json = await r.json() as { error?: { requestId?: string } };
          if (json.error) delete json.error.requestId;
          return { status: r.status, type: r.headers.get('content-type'), json };
        }));
        expect(a, `${type} ${text.slice(0, 10)}`).toEqual(b);
      }
    } finally {
      await Promise.all([server.close(), plain.close()]);
    }
  }, 60_000);
});
