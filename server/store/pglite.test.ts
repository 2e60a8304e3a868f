import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite } from './db';
import { openStore } from './index';
import { repositorySuite } from './repository.suite';

repositorySuite('PGlite (memory)', { openDb: () => openPglite('memory://'), sharedData: false });

describe('openStore on PGlite', () => {
  it('keeps data in the data directory across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prc-pglite-'));
    try {
      const a = await openStore({ dataDir: join(dir, 'data') });
      expect(a.driver).toBe('pglite');
      await a.mappings.create({ priority: 1, enabled: true, match: { payerName: 'x' }, policyId: 'uuhp', lineOfBusiness: 'commercial' }, 'kept');
      await a.close();
      const b = await openStore({ dataDir: join(dir, 'data') });
      expect((await b.mappings.get('kept'))?.id).toBe('kept');
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
