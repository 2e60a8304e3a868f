/**
 * Where /api/evaluate's work runs (./evaluation.ts evaluateText: parse, extract, evaluate, serialise).
 *
 * Node answers HTTP on one thread; the evaluation is pure CPU (~0.6 ms a request), so on that thread alone the
 * server tops out near one core. `startEvaluationThreads` runs it on worker threads instead (EVALUATION_THREADS,
 * default: one per core from 2 cores up), leaving the HTTP thread to read bodies and write answers, which it does
 * beside an evaluation thread on the same core. Text goes in and text comes out (a 12 KB string is copied in microseconds; a parsed object would be
 * cloned node by node), and the mappings cross only when they change (messages to a thread arrive in order, so a
 * request always sees the mappings posted before it).
 *
 * A thread that dies or takes longer than `timeoutMs` is replaced; the requests it held answer 503 (logged with
 * their request ids), and nothing else is affected. `inlineEvaluator` runs the same function on the HTTP thread
 * (tests, the CLI, a one-core machine).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ZodError } from 'zod';
import type { PayerMapping } from '../contracts/index.js';
import { BadBundleError, InvalidOverridesError } from '../fhir/extract/errors.js';
import { HttpError } from './httpError.js';
import { evaluateText } from './evaluation.js';

export interface Evaluator {
  /** the answer's JSON text, or throws what evaluateText throws (HttpError, BadBundleError, ZodError → 4xx) */
  evaluate(text: string | undefined, mappings: PayerMapping[]): Promise<string>;
  /** how many evaluation threads run (0: inline) */
  readonly threads: number;
  close(): Promise<void>;
}

export function inlineEvaluator(): Evaluator {
  return { threads: 0, evaluate: async (text, mappings) => evaluateText(text, mappings), close: async () => undefined };
}

/** what crosses between the threads */
export type ToThread = { kind: 'mappings'; mappings: PayerMapping[] } | { kind: 'evaluate'; id: number; text: string | undefined };
export type FromThread = { kind: 'ready' } | { kind: 'answer'; id: number; json: string } | { kind: 'failed'; id: number; error: ThreadError };
export type ThreadError =
  | { kind: 'http'; status: number; code: string; message: string; details?: unknown }
  | { kind: 'bad-bundle'; message: string; details: BadBundleError['details']; overrides: boolean }
  | { kind: 'zod'; issues: ZodError['issues'] }
  | { kind: 'internal'; name: string; message: string; stack?: string };

/** an error thrown in a thread → what can cross (errors lose their class in structured clone) */
export function threadError(err: unknown): ThreadError {
  if (err instanceof HttpError) return { kind: 'http', status: err.status, code: err.code, message: err.message, details: err.details };
  if (err instanceof BadBundleError) return { kind: 'bad-bundle', message: err.message, details: err.details, overrides: err instanceof InvalidOverridesError };
  if (err instanceof ZodError) return { kind: 'zod', issues: err.issues };
  const e = (err ?? {}) as Partial<Error>;
  return { kind: 'internal', name: String(e.name ?? 'Error'), message: String(e.message ?? err), stack: e.stack };
}

/** … and back into the error the shared error handler knows */
export function reviveError(e: ThreadError): Error {
  switch (e.kind) {
    case 'http': return new HttpError(e.status, e.code, e.message, e.details);
    case 'bad-bundle': return e.overrides ? new InvalidOverridesError(e.details) : new BadBundleError(e.message, e.details);
    case 'zod': return new ZodError(e.issues);
    case 'internal': return Object.assign(new Error(e.message), { name: e.name, stack: e.stack });
  }
}

/**
 * The worker's entry: compiled beside the server bundle (dist/server), or (tests, `npm run dev`) the TypeScript
 * source, loaded through tsx's loader registered inside the new thread (Node 20 does not apply `--import` hooks
 * to a worker's entry).
 */
function newWorker(): Worker {
  // no inherited --cpu-prof, --inspect … flags: the thread gets only what it needs to load its entry
  if (import.meta.url.endsWith('.ts')) {
    // require.resolve finds the CommonJS build (index.cjs); the thread imports its ES module twin
    const tsx = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    const entry = pathToFileURL(path.join(import.meta.dirname, 'evaluationWorker.ts')).href;
    return new Worker(`import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
      { eval: true, execArgv: [] });
  }
  for (const rel of ['evaluation-worker.js', '../evaluation-worker.js']) {
    const file = path.resolve(import.meta.dirname, rel);
    if (existsSync(file)) return new Worker(file, { execArgv: [] });
  }
  throw new Error('dist/server/evaluation-worker.js is missing: run `npm run build`');
}

interface Pending { resolve(json: string): void; reject(err: Error): void; timer: NodeJS.Timeout }
interface Thread { worker: Worker; pending: Map<number, Pending>; mappings: PayerMapping[] | null; stopping?: boolean }

export interface ThreadOptions {
  /** an evaluation taking longer than this is abandoned (its thread replaced) and answers 503 */
  timeoutMs?: number;
  /** told when a thread stops unexpectedly (never with request data) */
  onThreadExit?: (info: { code: number; reason: string }) => void;
}

/** Starts `count` evaluation threads and resolves once every one has loaded its modules. */
export async function startEvaluationThreads(count: number, opts: ThreadOptions = {}): Promise<Evaluator & { workers(): Worker[] }> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let nextId = 1;
  let closing = false;

  const spawn = (): Promise<Thread> => new Promise((resolve, reject) => {
    const worker = newWorker();
    const thread: Thread = { worker, pending: new Map(), mappings: null };
    let ready = false;
    worker.on('message', (msg: FromThread) => {
      if (msg.kind === 'ready') { ready = true; resolve(thread); return; }
      const p = thread.pending.get(msg.id);
      if (!p) return;
      thread.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.kind === 'answer') p.resolve(msg.json);
      else p.reject(reviveError(msg.error));
    });
    worker.on('error', (err) => { if (!ready) reject(err); });
    worker.on('exit', (code) => {
      if (!ready) { reject(new Error(`the evaluation thread exited while starting (code ${code})`)); return; }
      const stopped = new Error(`The evaluation thread stopped (exit code ${code})`);
      for (const p of thread.pending.values()) {
        clearTimeout(p.timer);
        p.reject(Object.assign(HttpError.of('unavailable', 'The evaluation was interrupted; nothing was saved. Please retry.'), { cause: stopped }));
      }
      thread.pending.clear();
      if (closing) return;
      opts.onThreadExit?.({ code, reason: stopped.message });
      replace(threads.indexOf(thread));
    });
  });

  /**
   * A new thread in slot `at`. Until it is ready, requests go to the others (or wait for it); a thread that fails to
   * start is tried again a second later, so the slot never keeps a dead thread that requests would wait on.
   */
  const replace = (at: number) => {
    const replacement = spawn();
    starting.set(at, replacement);
    replacement.then((t) => { threads[at] = t; starting.delete(at); }, () => {
      if (!closing) setTimeout(() => { if (!closing) replace(at); }, 1_000).unref();
    });
  };

  const threads: Thread[] = await Promise.all(Array.from({ length: count }, spawn));
  const starting = new Map<number, Promise<Thread>>();

  /** the running thread with the fewest requests; else the next to be ready (a stopping one is replaced within ms) */
  const pick = async (): Promise<Thread> => {
    for (;;) {
      let best: Thread | undefined;
      threads.forEach((t, i) => {
        if (starting.has(i) || t.stopping) return;
        if (!best || t.pending.size < best.pending.size) best = t;
      });
      if (best) return best;
      if (starting.size) return Promise.race(starting.values());
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  return {
    threads: count,
    workers: () => threads.map((t) => t.worker),
    async evaluate(text, mappings) {
      const thread = await pick();
      if (thread.mappings !== mappings) {
        thread.worker.postMessage({ kind: 'mappings', mappings } satisfies ToThread);
        thread.mappings = mappings;
      }
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          thread.pending.delete(id);
          reject(Object.assign(HttpError.of('unavailable', 'The evaluation took too long and was stopped; nothing was saved. Please retry.'),
            { cause: new Error(`evaluation over ${timeoutMs} ms`) }));
          // the thread may be stuck in a loop: replace it (its other requests answer 503 too); no new work meanwhile
          thread.stopping = true;
          void thread.worker.terminate();
        }, timeoutMs);
        thread.pending.set(id, { resolve, reject, timer });
        thread.worker.postMessage({ kind: 'evaluate', id, text } satisfies ToThread);
      });
    },
    async close() {
      closing = true;
      await Promise.all([...threads.map((t) => t.worker.terminate()), ...[...starting.values()].map((p) => p.then((t) => t.worker.terminate(), () => undefined))]);
    },
  };
}
