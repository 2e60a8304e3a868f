/**
 * Payer mapping ties, shared by the admin API (refuses to save a tie without confirmTie) and the admin
 * screens (flag ties in the list, ask before saving one). Pure: no I/O, no server internals.
 *
 * Two enabled mappings TIE when they have the same priority, send a Coverage to a different result
 * (policy, line of business or options) and one Coverage could plausibly match both. The resolver never
 * breaks a tie by id: the visit falls back to CPT-only rules and the clinician is told an administrator must
 * choose (server/mappings/resolve.ts, tie.ts).
 *
 * "Could match both" is a practical check of the conditions both mappings set (a condition only one of them
 * sets never separates them):
 * - payer identifier: the same value, and the same system when both give one;
 * - payer / plan name: the literal text of one pattern (a glob's * and ? are gaps) occurs in the other's, so
 *   "Peach State" overlaps "Peach State Health Plan" but "Healthy U" does not overlap "Advantage U";
 * - coverage type: a code of one is a SOPT prefix of a code of the other ("2" covers "211");
 * - states: at least one state in common.
 */
import type { PayerMapping, PayerMappingInput } from './index';

type Match = PayerMappingInput['match'];
type Outcome = Pick<PayerMappingInput, 'policyId' | 'lineOfBusiness' | 'options'>;

/** The literal pieces of a name pattern (globs' wildcards become gaps), lower-cased, whitespace collapsed. */
const literal = (pattern: string) => pattern.toLowerCase().split(/[*?]+/).map((x) => x.trim().replace(/\s+/g, ' ')).filter(Boolean);

/** Could one payer or plan name satisfy both patterns? */
export function namesMayOverlap(a: string, b: string): boolean {
  const la = literal(a); const lb = literal(b);
  if (la.length === 0 || lb.length === 0) return true; // "*" matches every name
  const ta = la.join(' '); const tb = lb.join(' ');
  return la.every((x) => tb.includes(x)) || lb.every((x) => ta.includes(x));
}

/** SOPT codes are hierarchical ("5" covers "512"); non-numeric codes compare exactly, case-insensitively. */
function codesMayOverlap(x: string[], y: string[]): boolean {
  const num = (s: string) => /^\d+$/.test(s.trim());
  return x.some((a) => y.some((b) => {
    const p = a.trim().toLowerCase(); const q = b.trim().toLowerCase();
    return num(p) && num(q) ? p.startsWith(q) || q.startsWith(p) : p === q;
  }));
}

/** True when no Coverage can satisfy both mappings' conditions (they differ on a condition both set). */
export function provablyDisjoint(a: Match, b: Match): boolean {
  const ai = a.payerIdentifier; const bi = b.payerIdentifier;
  if (ai && bi) {
    if (ai.value.trim() !== bi.value.trim()) return true;
    if (ai.system && bi.system && ai.system.trim().toLowerCase() !== bi.system.trim().toLowerCase()) return true;
  }
  if (a.payerName && b.payerName && !namesMayOverlap(a.payerName, b.payerName)) return true;
  if (a.planName && b.planName && !namesMayOverlap(a.planName, b.planName)) return true;
  if (a.coverageType?.length && b.coverageType?.length && !codesMayOverlap(a.coverageType, b.coverageType)) return true;
  if (a.states?.length && b.states?.length && !a.states.some((s) => b.states!.some((t) => t.toUpperCase() === s.toUpperCase()))) return true;
  return false;
}

/** Do two mappings send a Coverage to the same result? Then they never conflict, whatever their priority. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.policyId === b.policyId && a.lineOfBusiness === b.lineOfBusiness
    && (a.options?.reprogrammingMeaning ?? 'rate-or-dose-only') === (b.options?.reprogrammingMeaning ?? 'rate-or-dose-only');
}

type Candidate = PayerMappingInput & { id?: string };

/** Would these two mappings tie? (both enabled, same priority, different result, may match one Coverage) */
export function mappingsTie(a: Candidate, b: Candidate): boolean {
  return a.enabled && b.enabled && a.priority === b.priority && !sameOutcome(a, b) && !provablyDisjoint(a.match, b.match);
}

/** The mappings among `others` a candidate would tie with (the candidate's own id is skipped). */
export function tiesWith<T extends Candidate>(candidate: Candidate, others: T[]): T[] {
  return others.filter((o) => (candidate.id === undefined || o.id !== candidate.id) && mappingsTie(candidate, o));
}

/** Every tie in a set of mappings: id → the ids it ties with. */
export function findTies(mappings: Pick<PayerMapping, 'id' | 'priority' | 'enabled' | 'match' | 'policyId' | 'lineOfBusiness' | 'options'>[]): Map<string, string[]> {
  const ties = new Map<string, string[]>();
  const enabled = mappings.filter((m) => m.enabled);
  for (let i = 0; i < enabled.length; i++) {
    for (let j = i + 1; j < enabled.length; j++) {
      const a = enabled[i]!; const b = enabled[j]!;
      if (a.priority !== b.priority || sameOutcome(a, b) || provablyDisjoint(a.match, b.match)) continue;
      ties.set(a.id, [...(ties.get(a.id) ?? []), b.id]);
      ties.set(b.id, [...(ties.get(b.id) ?? []), a.id]);
    }
  }
  return ties;
}

/** How people refer to a mapping: its name, else its id. */
export const mappingLabel = (m: { id?: string; name?: string }): string => m.name ?? m.id ?? 'the new mapping';

const LOB_LABELS: Record<string, string> = {
  commercial: 'Commercial', chip: 'CHIP', medicaid: 'Medicaid', 'medicare-advantage': 'Medicare Advantage',
  medicare: 'Medicare', unknown: 'line of business from the record',
};
/** 'medicare-advantage' → 'Medicare Advantage' */
export const lineOfBusinessLabel = (lob: string): string => LOB_LABELS[lob] ?? lob;
