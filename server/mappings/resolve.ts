/**
 * Payer mapping resolution: which mapping (→ policy module + line of business) applies to a Coverage.
 * Pure and fast: no I/O; compiled patterns are cached per mapping object.
 *
 * Rules (DESIGN.md "Payer mappings"):
 * - every condition a mapping gives must hold; a mapping with no conditions matches every coverage;
 * - payerIdentifier: value compared exactly (after trimming), system case-insensitively when the mapping gives one;
 * - payerName / planName: case-insensitive substring, or whole-name glob with * and ? (see glob.ts);
 * - coverageType: SOPT is hierarchical, so a mapping code is a PREFIX of the Coverage's code
 *   ('2' Medicaid covers '21', '211', '23'…; '11' Medicare managed care covers '111'…). Non-numeric
 *   codes (e.g. v3-ActCode "PPO") compare exactly, case-insensitively;
 * - states: the patient's state is in the list;
 * - disabled mappings never win; the highest priority wins. Two or more matching enabled mappings at the
 *   top priority that DISAGREE (policy, line of business or options) are a tie: `tie` lists their ids and
 *   there is NO winner — ids say nothing about which payer is right, so the visit falls back to CPT-only
 *   rules and the clinician is told an administrator must choose (tie.ts). If they agree, nothing is
 *   ambiguous, no tie is reported and the first of them (by id, for a stable answer) wins.
 */
import type { CoverageMatchInput, MappingResolution, PayerMapping } from '../contracts/index';
import { globMatchNormalized, isGlob, normalizeName } from './glob';

type NamePattern = { raw: string; norm: string; glob: boolean };
interface Compiled {
  payerName?: NamePattern;
  planName?: NamePattern;
  identifier?: { system?: string; value: string };
  types?: { raw: string; norm: string; numeric: boolean }[];
  states?: Set<string>;
}

const compiledCache = new WeakMap<PayerMapping, Compiled>();
const pattern = (raw: string): NamePattern => {
  const norm = normalizeName(raw);
  return { raw, norm, glob: isGlob(norm) };
};
const isNumeric = (s: string) => /^\d+$/.test(s);

function compile(m: PayerMapping): Compiled {
  let c = compiledCache.get(m);
  if (c) return c;
  const mm = m.match;
  c = {};
  if (mm.payerName !== undefined) c.payerName = pattern(mm.payerName);
  if (mm.planName !== undefined) c.planName = pattern(mm.planName);
  if (mm.payerIdentifier) {
    c.identifier = { value: mm.payerIdentifier.value.trim() };
    if (mm.payerIdentifier.system) c.identifier.system = mm.payerIdentifier.system.trim().toLowerCase();
  }
  if (mm.coverageType && mm.coverageType.length > 0) {
    c.types = mm.coverageType.map((t) => ({ raw: t, norm: t.trim().toLowerCase(), numeric: isNumeric(t.trim()) }));
  }
  if (mm.states && mm.states.length > 0) c.states = new Set(mm.states.map((s) => s.toUpperCase()));
  compiledCache.set(m, c);
  return c;
}

interface PreparedInput {
  identifiers: { system?: string; value: string; raw: { system?: string; value: string } }[];
  payerNames: { raw: string; norm: string }[];
  planNames: { raw: string; norm: string }[];
  types: { raw: string; norm: string; numeric: boolean }[];
  state?: string;
}

function prepare(input: CoverageMatchInput): PreparedInput {
  const p: PreparedInput = {
    identifiers: (input.payerIdentifiers ?? []).map((i) => {
      const o: PreparedInput['identifiers'][number] = { value: i.value.trim(), raw: i };
      if (i.system) o.system = i.system.trim().toLowerCase();
      return o;
    }),
    payerNames: (input.payerNames ?? []).map((n) => ({ raw: n, norm: normalizeName(n) })).filter((n) => n.norm),
    planNames: (input.planNames ?? []).map((n) => ({ raw: n, norm: normalizeName(n) })).filter((n) => n.norm),
    types: (input.coverageTypes ?? []).map((t) => ({ raw: t, norm: t.trim().toLowerCase(), numeric: isNumeric(t.trim()) })),
  };
  if (input.patientState) p.state = input.patientState.trim().toUpperCase();
  return p;
}

const nameHit = (pat: NamePattern, name: string) => (pat.glob ? globMatchNormalized(pat.norm, name) : name.includes(pat.norm));
const quoteList = (xs: string[]) => (xs.length ? xs.map((x) => `'${x}'`).join(', ') : 'none given');

/** one clause per condition: [holds, human text] */
function evaluate(c: Compiled, input: PreparedInput, withText: boolean): { ok: boolean; parts: string[] } {
  const parts: string[] = [];
  let ok = true;
  const say = (holds: boolean, text: () => string) => {
    if (!holds) ok = false;
    if (withText) parts.push(text());
  };

  if (c.identifier) {
    const id = c.identifier;
    const hit = input.identifiers.find((i) => i.value === id.value && (id.system === undefined || i.system === id.system));
    const shown = `${id.system ? `${id.system}|` : ''}${id.value}`;
    say(Boolean(hit), () => (hit ? `payer identifier ${shown} matched`
      : `payer identifier ${shown} not among ${quoteList(input.identifiers.map((i) => `${i.raw.system ? `${i.raw.system}|` : ''}${i.raw.value}`))}`));
    if (!ok && !withText) return { ok, parts };
  }
  if (c.payerName) {
    const pat = c.payerName;
    const hit = input.payerNames.find((n) => nameHit(pat, n.norm));
    say(Boolean(hit), () => (hit ? `payer name '${pat.raw}' matched '${hit.raw}'`
      : `payer name '${pat.raw}' did not match ${quoteList(input.payerNames.map((n) => n.raw))}`));
    if (!ok && !withText) return { ok, parts };
  }
  if (c.planName) {
    const pat = c.planName;
    const hit = input.planNames.find((n) => nameHit(pat, n.norm));
    say(Boolean(hit), () => (hit ? `plan '${pat.raw}' matched '${hit.raw}'`
      : `plan '${pat.raw}' did not match ${quoteList(input.planNames.map((n) => n.raw))}`));
    if (!ok && !withText) return { ok, parts };
  }
  if (c.types) {
    let hit: { rule: string; code: string } | undefined;
    for (const t of c.types) {
      const found = input.types.find((x) => (t.numeric && x.numeric ? x.norm.startsWith(t.norm) : x.norm === t.norm));
      if (found) { hit = { rule: t.raw, code: found.raw }; break; }
    }
    const rules = c.types.map((t) => t.raw).join(', ');
    say(Boolean(hit), () => (hit
      ? (hit.rule === hit.code ? `coverage type ${hit.code} matched`
        : `coverage type ${hit.code} matched ${hit.rule} (SOPT is hierarchical: ${hit.rule} covers its sub-codes)`)
      : `coverage type ${input.types.length ? input.types.map((x) => x.raw).join(', ') : 'not given'} not in [${rules}] or their SOPT sub-codes`));
    if (!ok && !withText) return { ok, parts };
  }
  if (c.states) {
    const st = input.state;
    const holds = st !== undefined && c.states.has(st);
    say(holds, () => (st === undefined ? `patient state unknown, needed one of [${[...c.states!].join(', ')}]`
      : holds ? `state ${st} matched` : `state ${st} not in [${[...c.states!].join(', ')}]`));
  }
  return { ok, parts };
}

/** the allocation-free check used when no reason text is wanted: the same rules as `evaluate`, about 5× faster
 * (every evaluation runs it); a property test in resolve.test.ts keeps the two in agreement */
function holds(c: Compiled, input: PreparedInput): boolean {
  const id = c.identifier;
  if (id && !input.identifiers.some((i) => i.value === id.value && (id.system === undefined || i.system === id.system))) return false;
  const pn = c.payerName;
  if (pn && !input.payerNames.some((n) => nameHit(pn, n.norm))) return false;
  const pl = c.planName;
  if (pl && !input.planNames.some((n) => nameHit(pl, n.norm))) return false;
  if (c.types && !c.types.some((t) => input.types.some((x) => (t.numeric && x.numeric ? x.norm.startsWith(t.norm) : x.norm === t.norm)))) return false;
  if (c.states && (input.state === undefined || !c.states.has(input.state))) return false;
  return true;
}

/** Does one mapping's match hold (ignoring `enabled`)? */
export function mappingMatches(mapping: PayerMapping, input: CoverageMatchInput): boolean {
  return holds(compile(mapping), prepare(input));
}

const byPriorityThenId = (a: PayerMapping, b: PayerMapping) =>
  b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const outcomeKey = (m: PayerMapping) =>
  `${m.policyId}|${m.lineOfBusiness}|${m.options?.reprogrammingMeaning ?? 'rate-or-dose-only'}`;

const labelOf = (mappings: PayerMapping[], id: string) => {
  const m = mappings.find((x) => x.id === id);
  return m?.name ? `'${m.name}'` : id;
};

export interface ResolveOptions {
  /** false skips building the reason sentences (evaluation path); default true */
  reasons?: boolean;
  /** how the reasons name a mapping's result, e.g. "Centene CP.MP.173 …, Medicaid" (default: "centene-cp-mp-173 medicaid") */
  describeResult?: (m: PayerMapping) => string;
}

export function resolveMapping(mappings: PayerMapping[], input: CoverageMatchInput, opts: ResolveOptions = {}): MappingResolution {
  const withText = opts.reasons !== false;
  const prepared = prepare(input);
  const matched: PayerMapping[] = [];
  const texts = new Map<string, { ok: boolean; text: string }>();

  for (const m of mappings) {
    const r = withText ? evaluate(compile(m), prepared, true) : { ok: holds(compile(m), prepared), parts: [] };
    if (r.ok && m.enabled) matched.push(m);
    if (withText) {
      const body = r.parts.length ? r.parts.join('; ') : 'no conditions: matches every coverage';
      texts.set(m.id, { ok: r.ok, text: m.enabled ? body : `disabled (never wins); ${r.ok ? 'would have matched: ' : ''}${body}` });
    }
  }
  matched.sort(byPriorityThenId);

  const first = matched[0] ?? null;
  let tie: string[] | undefined;
  if (first) {
    const sameTop = matched.filter((m) => m.priority === first.priority);
    if (sameTop.length > 1 && new Set(sameTop.map(outcomeKey)).size > 1) tie = sameTop.map((m) => m.id);
  }
  const top = tie ? null : first;

  const reasons: MappingResolution['reasons'] = [];
  if (withText) {
    const ordered = [...mappings].sort(byPriorityThenId);
    for (const m of ordered) {
      const t = texts.get(m.id)!;
      let text = `${t.text} (priority ${m.priority} → ${opts.describeResult ? opts.describeResult(m) : `${m.policyId} ${m.lineOfBusiness}`})`;
      if (tie && tie.includes(m.id)) {
        const others = tie.filter((x) => x !== m.id).map((x) => labelOf(mappings, x)).join(', ');
        text += ` — tied with ${others} at priority ${m.priority} with a different result: neither wins, CPT-only rules apply until an administrator changes a priority or disables one`;
      } else if (top && m.id === top.id) {
        text += ' — wins (highest priority)';
      } else if (t.ok && m.enabled && first) {
        const over = top ?? first;
        text += tie ? ` — matched, but the tied mappings at priority ${first.priority} rank higher`
          : m.priority === over.priority ? ` — same priority and the same result as ${labelOf(mappings, over.id)}, which is used`
            : ` — matched, but ${labelOf(mappings, over.id)} has higher priority`;
      }
      reasons.push({ mappingId: m.id, matched: t.ok && m.enabled, reason: text });
    }
  }

  const res: MappingResolution = { winner: top, matched, reasons };
  if (tie) res.tie = tie;
  return res;
}
