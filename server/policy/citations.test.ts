/** Every quote attributed to a seed file occurs in that file (whitespace-normalised). Skipped when the seeds are absent. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Citation } from '../contracts/index.js';
import { ARTICLE, CENTENE, FORUM, ICARE, PUBLIC, SEED, UUHP } from './citations.js';
import { SCENARIOS } from './scenarios.js';

// the team's shared/ folder sits beside the repository (in CI too)
const SEEDS_DIR = process.env.SEEDS_DIR ?? [resolve(import.meta.dirname, '../../../shared/seeds'), '/work/shared/seeds'].find((d) => existsSync(d)) ?? '';
const haveSeeds = existsSync(join(SEEDS_DIR, SEED.uuhp));
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.skipIf(!haveSeeds)('citations quote the seeds verbatim', () => {
  const texts = new Map<string, string>();
  for (const file of Object.values(SEED)) if (haveSeeds) texts.set(file, norm(readFileSync(join(SEEDS_DIR, file), 'utf8')));
  const all: Citation[] = [UUHP, ICARE, ARTICLE, CENTENE, FORUM, PUBLIC].flatMap((group) => Object.values(group));

  it.each(all.filter((c) => c.quote && texts.has(c.source)).map((c) => [c.quote!.slice(0, 60), c] as const))('%s', (_q, c) => {
    expect(texts.get(c.source)).toContain(norm(c.quote!));
  });
  it('every scenario\'s source quote occurs in its seed', () => {
    for (const s of SCENARIOS) expect(texts.get(s.source.file), s.name).toContain(norm(s.source.quote));
  });
});
