import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Evaluator } from './evaluator';
import { overriddenPaths, setDrugOverride, setOverride } from './overrides';

describe('Evaluator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces bursts of changes into one evaluation', async () => {
    const run = vi.fn(async (n: number) => n * 10);
    const results: number[] = [];
    const ev = new Evaluator(run, { onLoading: () => {}, onResult: (r) => results.push(r), onError: () => {} }, 150);
    ev.request(1); ev.request(2); ev.request(3);
    await vi.advanceTimersByTimeAsync(149);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]?.[0]).toBe(3);
    await vi.runAllTimersAsync();
    expect(results).toEqual([30]);
  });

  it('discards an answer that arrives after a newer request was sent, and keeps loading until the newest lands', async () => {
    const resolvers: ((v: string) => void)[] = [];
    const run = (input: string) => new Promise<string>((res) => { resolvers.push(() => res(input)); });
    const results: string[] = [];
    const loading: boolean[] = [];
    const ev = new Evaluator(run, { onLoading: (l) => loading.push(l), onResult: (r) => results.push(r), onError: () => {} }, 150);
    void ev.now('old');
    ev.request('new');
    await vi.advanceTimersByTimeAsync(150);
    resolvers[1]?.('');     // the newer answers first
    await vi.advanceTimersByTimeAsync(0);
    resolvers[0]?.('');     // the older one arrives late
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual(['new']);
    expect(loading.at(-1)).toBe(false);
  });
});

describe('overrides', () => {
  it('sets nested facts immutably and lists the paths set', () => {
    const a = setOverride({}, ['performer', 'physicianSkillRequired'], false);
    const b = setOverride(a, ['services', 'reprogramming'], 'rate-or-dose-change');
    expect(a).toEqual({ performer: { physicianSkillRequired: false } });
    expect(overriddenPaths(b)).toEqual(['performer.physicianSkillRequired', 'services.reprogramming']);
    expect(setOverride(b, ['performer', 'physicianSkillRequired'], undefined)).toEqual({ performer: {}, services: { reprogramming: 'rate-or-dose-change' } });
  });
  it('replaces the drug list as a whole (arrays replace on the server)', () => {
    const drugs = [{ name: 'baclofen', amount: 20, unit: 'mg' as const, compounded: false, purchasedBy: 'unknown' as const }];
    expect(setDrugOverride({}, drugs, 0, { purchasedBy: 'practice' })).toEqual({ drugs: [{ ...drugs[0], purchasedBy: 'practice' }] });
  });
});
