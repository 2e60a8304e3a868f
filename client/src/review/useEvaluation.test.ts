import { describe, expect, it, vi } from 'vitest';
import { runTakingUp } from './useEvaluation';
import type { EvaluateResponse } from '../../../server/contracts/index';
import type { Bundle } from '../fhir/types';

const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [] };
const answer = (tag: string) => ({ tag }) as unknown as EvaluateResponse;
const signal = new AbortController().signal;

describe('the review takes up the evaluation sent as the record came in', () => {
  it('once, when it was sent with the same corrections; later evaluations are sent', async () => {
    const send = vi.fn(async () => answer('sent'));
    const run = runTakingUp(bundle, { overrides: { device: { kind: 'fixed-rate' } }, result: Promise.resolve(answer('early')) }, send);
    expect(await run({ device: { kind: 'fixed-rate' } }, signal)).toEqual({ tag: 'early' });
    expect(send).not.toHaveBeenCalled();
    expect(await run({ device: { kind: 'fixed-rate' } }, signal)).toEqual({ tag: 'sent' });
    expect(send).toHaveBeenCalledTimes(1);
  });
  it('not when the corrections differ (the early one is dropped), nor when none was sent', async () => {
    const send = vi.fn(async () => answer('sent'));
    const run = runTakingUp(bundle, { overrides: {}, result: Promise.resolve(answer('early')) }, send);
    expect(await run({ drugs: [] }, signal)).toEqual({ tag: 'sent' });
    expect(await run({}, signal)).toEqual({ tag: 'sent' });
    expect(await runTakingUp(bundle, undefined, send)({}, signal)).toEqual({ tag: 'sent' });
    expect(send).toHaveBeenCalledTimes(3);
  });
});
