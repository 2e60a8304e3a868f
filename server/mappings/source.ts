/**
 * Where the evaluation path gets its mappings. Mapping changes take effect on the next evaluation on
 * every instance: each call reads the store's mapping change counter (one tiny indexed read) and reloads
 * the list only when it moved. The counter is bumped by a statement trigger in the same transaction as
 * the change (migrations/001_init.sql), so no committed change can be missed.
 */
import type { PayerMapping } from '../contracts/index';
import type { Store } from '../store/index';

export interface MappingSource { current(): Promise<PayerMapping[]> }

export function createMappingSource(store: Pick<Store, 'mappings'>): MappingSource {
  let cached: { count: number; mappings: PayerMapping[] } | null = null;
  let loading: { count: number; promise: Promise<PayerMapping[]> } | null = null;
  return {
    async current() {
      const count = await store.mappings.changeCount();
      if (cached && cached.count === count) return cached.mappings;
      // one reload in flight at a time; read the counter BEFORE the list, so a change committed in
      // between leaves the cache marked older than its content and triggers one more reload, never a miss
      // (a reload started for an older counter may predate the change this caller saw: start another)
      if (loading && loading.count === count) return loading.promise;
      const promise = store.mappings.list().then((mappings) => {
        if (!cached || count >= cached.count) cached = { count, mappings };
        return mappings;
      }).finally(() => { if (loading?.promise === promise) loading = null; });
      loading = { count, promise };
      return promise;
    },
  };
}
