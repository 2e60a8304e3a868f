import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index';
import { createMappingSource } from './index';

let store: Store;
beforeAll(async () => { store = await openStore({ dataDir: 'memory://' }); });
afterAll(async () => { await store.close(); });

describe('createMappingSource', () => {
  it('serves the cached list until the change counter moves, then the new one at once', async () => {
    let lists = 0;
    const counting = { mappings: { ...store.mappings, list: () => { lists++; return store.mappings.list(); } } };
    const source = createMappingSource(counting);
    expect(await source.current()).toEqual([]);
    await source.current();
    expect(lists).toBe(1);
    const m = await store.mappings.create({ priority: 1, enabled: true, match: {}, policyId: 'uuhp', lineOfBusiness: 'commercial' });
    expect((await source.current()).map((x) => x.id)).toEqual([m.id]);
    expect(lists).toBe(2);
    await store.mappings.update(m.id, { priority: 2, enabled: false, match: {}, policyId: 'uuhp', lineOfBusiness: 'commercial' }, 1);
    expect((await source.current())[0]?.enabled).toBe(false);
    const [a, b] = await Promise.all([source.current(), source.current()]);
    expect(a).toBe(b);
    expect(lists).toBe(3);
  });
});
