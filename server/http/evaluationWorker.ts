/** An evaluation thread (see ./evaluationThreads.ts): text in, the answer's JSON text or a cloneable error out. */
import { parentPort } from 'node:worker_threads';
import type { PayerMapping } from '../contracts/index.js';
import { evaluateText } from './evaluation.js';
import { threadError, type FromThread, type ToThread } from './evaluationThreads.js';

const port = parentPort;
if (!port) throw new Error('evaluationWorker runs as a worker thread');
let mappings: PayerMapping[] = [];
port.on('message', (msg: ToThread) => {
  if (msg.kind === 'mappings') { mappings = msg.mappings; return; }
  let answer: FromThread;
  try {
    answer = { kind: 'answer', id: msg.id, json: evaluateText(msg.text, mappings) };
  } catch (err) {
    answer = { kind: 'failed', id: msg.id, error: threadError(err) };
  }
  port.postMessage(answer);
});
port.postMessage({ kind: 'ready' } satisfies FromThread);
