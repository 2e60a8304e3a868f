import { describe, expect, it } from 'vitest';
import { canKeepWork, CARRY_MS, clearWork, loadWork, saveWork, visitTag, type KeyValueStore } from './workStore';

const memory = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return {
    data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); }, removeItem: (k) => { data.delete(k); },
    get length() { return data.size; }, key: (i) => [...data.keys()][i] ?? null,
  };
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

describe('work taken up by a relaunch of the same visit (a sign-in that could not be renewed)', () => {
  const work = { overrides: { drug: { amountMg: 2 } }, accepted: {}, checked: { 'residual-volume': true }, deviceConfirmed: false };
  const visit = { ehr: 'https://ehr.test/fhir/', patient: 'pt-1', encounter: 'enc-9', user: 'Practitioner/dr-1' };

  it('the new launch adopts the newest work with the visit\'s tag (moved, not copied); other visits are left alone', async () => {
    const tag = (await visitTag(visit))!;
    const other = (await visitTag({ ...visit, encounter: 'enc-10' }))!;
    expect(tag).toMatch(/^[0-9a-f]{32}$/);
    expect(other).not.toBe(tag);
    const s = memory();
    saveWork('launch-old', { ...work, checked: { a: true } }, s, tag, 1_000);
    saveWork('launch-older', { ...work, checked: { b: true } }, s, tag, 500);
    saveWork('launch-other-visit', { ...work, checked: { c: true } }, s, other, 1_000);
    expect([...s.data.values()].some((v) => v.includes('pt-1') || v.includes('enc-9'))).toBe(false);
    expect(loadWork('launch-new', s, tag, 2_000)).toEqual({ ...work, checked: { a: true } });
    expect(s.data.has('prc-work:launch-new')).toBe(true);
    expect(s.data.has('prc-work:launch-old')).toBe(false);
    expect(s.data.has('prc-work:launch-other-visit')).toBe(true);
    // without a tag (no encounter) nothing is adopted
    expect(loadWork('launch-untagged', s, undefined, 2_000)).toBeUndefined();
  });

  it('work older than the carry window is dropped, not adopted; a launch without an encounter has no tag', async () => {
    const tag = (await visitTag(visit))!;
    const s = memory();
    saveWork('launch-old', work, s, tag, 0);
    expect(loadWork('launch-new', s, tag, CARRY_MS + 1)).toBeUndefined();
    expect(s.data.size).toBe(0);
    expect(await visitTag({ ...visit, encounter: undefined })).toBeUndefined();
  });

  it('canKeepWork is false where storage is refused', () => {
    expect(canKeepWork(memory())).toBe(true);
    const throwing: KeyValueStore = { getItem: () => null, setItem: () => { throw new Error('denied'); }, removeItem: () => undefined };
    expect(canKeepWork(throwing)).toBe(false);
    expect(canKeepWork(undefined)).toBe(false);
  });
});
