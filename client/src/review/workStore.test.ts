import { describe, expect, it } from 'vitest';
import { clearWork, loadWork, saveWork, type KeyValueStore } from './workStore';

const memory = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); }, removeItem: (k) => { data.delete(k); } };
};

describe('work kept across a reload', () => {
  it('round-trips corrections, accepted lines and ticks under the launch key only, and clears after write', () => {
    const s = memory();
    const work = { overrides: { performer: { physicianSkillRequired: false } }, accepted: { '62369': false }, checked: { 'residual-volume': true }, deviceConfirmed: true };
    saveWork('launch-abc', work, s);
    expect([...s.data.keys()]).toEqual(['prc-work:launch-abc']);
    expect(loadWork('launch-abc', s)).toEqual(work);
    expect(loadWork('another-launch', s)).toBeUndefined();
    clearWork('launch-abc', s);
    expect(s.data.size).toBe(0);
  });
  it('an empty work removes the entry; a tampered or old-format value is ignored', () => {
    const s = memory();
    saveWork('k', { overrides: { a: 1 }, accepted: {}, checked: {} }, s);
    saveWork('k', { overrides: {}, accepted: {}, checked: {} }, s);
    expect(s.data.size).toBe(0);
    s.setItem('prc-work:k', JSON.stringify({ v: 1, overrides: {}, accepted: { x: 'yes' }, checked: {} }));
    expect(loadWork('k', s)).toBeUndefined();
    s.setItem('prc-work:k', '{not json');
    expect(loadWork('k', s)).toBeUndefined();
  });
  it('a store that throws (blocked storage) never breaks the review', () => {
    const throwing: KeyValueStore = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => { throw new Error('denied'); } };
    expect(() => saveWork('k', { overrides: { a: 1 }, accepted: {}, checked: {} }, throwing)).not.toThrow();
    expect(loadWork('k', throwing)).toBeUndefined();
    expect(() => clearWork('k', throwing)).not.toThrow();
  });
});
