/**
 * What a re-evaluation changed in the lines, in words a screen reader can announce ("62369 → 62370",
 * "J2274 added", "units of J0475 2 → 3") and the codes to highlight. Pure.
 */
import type { Determination } from '../../../server/contracts/index';

type Line = Pick<Determination['lines'][number], 'code' | 'modifiers' | 'units' | 'system'>;

export interface LinesChange { words: string; changedCodes: string[] }

const label = (l: Line) => `${l.code}${l.modifiers.length ? `-${l.modifiers.join('-')}` : ''}${l.units > 1 ? ` ×${l.units}` : ''}`;

/** undefined when nothing changed. A removed and an added line of the same system read as a replacement. */
export function diffLines(before: readonly Line[], after: readonly Line[]): LinesChange | undefined {
  const beforeCodes = new Map(before.map((l) => [l.code, l]));
  const afterCodes = new Map(after.map((l) => [l.code, l]));
  const removed = before.filter((l) => !afterCodes.has(l.code));
  const added = after.filter((l) => !beforeCodes.has(l.code));
  const altered = after.filter((l) => {
    const b = beforeCodes.get(l.code);
    return b && (b.units !== l.units || b.modifiers.join() !== l.modifiers.join());
  });
  const parts: string[] = [];
  const changed: string[] = [];
  const pending = [...added];
  for (const r of removed) {
    const i = pending.findIndex((a) => a.system === r.system);
    if (i >= 0) {
      const [a] = pending.splice(i, 1);
      parts.push(`${label(r)} → ${label(a!)}`);
      changed.push(a!.code);
    } else {
      parts.push(`${label(r)} removed`);
    }
  }
  for (const a of pending) { parts.push(`${label(a)} added`); changed.push(a.code); }
  for (const l of altered) { parts.push(`${label(beforeCodes.get(l.code)!)} → ${label(l)}`); changed.push(l.code); }
  if (parts.length === 0) return undefined;
  return { words: `Lines changed: ${parts.join('; ')}.`, changedCodes: changed };
}
