/**
 * The note reader (DESIGN.md "Reading real EHR records": the note). The visit's words come from Procedure.note and
 * Procedure.code text, and from the visit's DocumentReference (attachment data inline, or a Binary by url) in
 * text/plain, text/html or RTF, turned into plain text here. The text is split into sentences; each fact reader
 * below looks at one sentence at a time and keeps the sentence it used, so the review can show the words.
 *
 * Conservative on purpose. A sentence is NOT evidence of a positive fact when it is
 * - negated ("no dose change", "dose not changed", "without reprogramming", "denies"),
 * - hedged or planned ("may increase", "consider", "plan to", "will titrate next visit", "if needed", "possibly"),
 * - a question ("Dose change?") or a template prompt left blank ("Dose changed: ___", "Purchased by: [ ]").
 * A negated sentence may give the negative fact where the words are unambiguous ("no dose change" → not changed);
 * a hedged sentence or a question gives nothing. When sentences disagree, the reader gives nothing and says so.
 */
import { clip, isObj, obj, objs, str, type Json, type Resource, type ResourceIndex } from './record.js';

/**
 * A sentence of the visit's words (`code` marks a procedure's code text: a code name, not the clinician's note).
 * Its mood is worked out once, when the text is split: every reader skips questions, hedged sentences ("may",
 * "plan to", "consider") and blank template prompts ("Reason: ___").
 */
export interface NoteSentence { text: string; from: Resource; code?: boolean; question: boolean; hedged: boolean; blank: boolean }
export interface NoteFact<T> { value: T; sentence: string; from: Resource }

// ---------------------------------------------------------------- documents → plain text

const MAX_DOC_CHARS = 100_000;

function decodeBase64(data: string): string {
  try { return Buffer.from(data, 'base64').toString('utf8'); } catch { return ''; }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** HTML/XHTML → text: block elements become line breaks, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6]|table|ul|ol)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+/g, ' ');
}

/** RTF → text: \par and \line become line breaks, \'hh hex escapes decoded, groups like fonttbl dropped. */
export function rtfToText(rtf: string): string {
  return rtf
    .replace(/\{\\\*[^{}]*\}/g, ' ')
    .replace(/\{\\(?:fonttbl|colortbl|stylesheet|info)(?:[^{}]|\{[^{}]*\})*\}/g, ' ')
    .replace(/\\'([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(?:par|line)\b ?/g, '\n')
    .replace(/\\tab\b ?/g, ' ')
    .replace(/\\[a-z]+-?\d* ?/gi, '')
    .replace(/\\([{}\\])/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/[ \t]+/g, ' ');
}

function asText(contentType: string | undefined, raw: string): string {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('html') || ct.includes('xml') || /^\s*<(?:!doctype|html|div|p)\b/i.test(raw)) return htmlToText(raw);
  if (ct.includes('rtf') || raw.startsWith('{\\rtf')) return rtfToText(raw);
  if (ct === '' || ct.startsWith('text/')) return raw;
  return ''; // PDF, images: not read
}

/** The text of one attachment: inline data, or the Binary its url points to (when the client fetched it). */
export function attachmentText(att: Json, index: ResourceIndex, container?: Resource): string {
  const data = str(att.data);
  if (data) return asText(str(att.contentType), decodeBase64(data)).slice(0, MAX_DOC_CHARS);
  const url = str(att.url);
  if (!url) return '';
  const bin = index.resolve({ reference: url }, 'Binary', container);
  const bdata = bin ? str(bin.data) : undefined;
  return bdata ? asText(str(bin?.contentType) ?? str(att.contentType), decodeBase64(bdata)).slice(0, MAX_DOC_CHARS) : '';
}

/**
 * The readable text of a DocumentReference. Epic sends each note twice (text/html and text/rtf Binaries of the same
 * note): the first attachment that yields text is the note, plain text first, then HTML, then RTF.
 */
export function documentText(doc: Resource, index: ResourceIndex): string {
  const parts: string[] = [];
  const rank = (ct: string | undefined) => (!ct ? 3 : /^text\/plain/i.test(ct) ? 0 : /html|xml/i.test(ct) ? 1 : /rtf/i.test(ct) ? 2 : 4);
  const atts = objs(doc.content).map((c) => obj(c.attachment)).filter(isObj).sort((a, b) => rank(str(a.contentType)) - rank(str(b.contentType)));
  for (const att of atts) {
    const t = attachmentText(att, index, doc);
    if (t.trim()) { parts.push(t); break; }
  }
  const description = str(doc.description);
  if (description) parts.push(description);
  return parts.join('\n');
}

// ---------------------------------------------------------------- sentences and their mood

export function sentencesOf(text: string, from: Resource, code = false): NoteSentence[] {
  return text.split(/\n+|(?<=[.!?;])(?<!\b(?:Dr|Mr|Mrs|Ms|St|vs|approx|e\.g|i\.e|No|pt)\.)\s+(?=[A-Z0-9"(])/)
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter((t) => t.length > 1)
    .slice(0, 2000)
    .map((t) => {
      const sentence: NoteSentence = { text: t, from, question: QUESTION.test(t), hedged: HEDGE.test(t), blank: BLANK.test(t) };
      if (code) sentence.code = true;
      return sentence;
    });
}

const NEGATION = /\b(?:no|not|never|without|denies|denied|none|neither|nor|n't|unchanged|declined|deferred|held)\b|n't\b/i;
const HEDGE = /\b(?:may|might|could|would|consider(?:ing|ed)?|plan(?:s|ned)? to|will|possibl[ey]|probabl[ey]|perhaps|if (?:needed|necessary|tolerated|indicated)|recommend(?:ed)? (?:that|to)|discuss(?:ed)? (?:whether|possible)|next (?:visit|refill)|at the next|should|rule out|r\/o|unclear|unknown|\?\?)/i;
const BLANK = /[:]\s*(?:_{2,}|\[\s*\]|\(\s*\)|\.{3,})\s*$|[:]\s*$/;
const QUESTION = /\?\s*$/;
export const isNegated = (s: string) => NEGATION.test(s);
/** Negated where it matters: in the match itself or in the same clause just before it ("not refilled", "no, the dose …"). */
export function negatedAt(s: string, m: RegExpExecArray | null): boolean {
  if (!m) return false;
  const before = (s.slice(Math.max(0, m.index - 40), m.index).split(/[,;:]|\band\b|\bbut\b/).pop() ?? '');
  return NEGATION.test(before) || NEGATION.test(m[0]);
}

/** One value from the sentences; conflicting values give nothing (with the conflict reported). */
function decide<T>(hits: NoteFact<T>[]): NoteFact<T> | { conflict: NoteFact<T>[] } | undefined {
  if (!hits.length) return undefined;
  const first = hits[0] as NoteFact<T>;
  const differing = hits.find((h) => h.value !== first.value);
  return differing ? { conflict: [first, differing] } : first;
}
export type Decision<T> = NoteFact<T> | { conflict: NoteFact<T>[] } | undefined;
export const isConflict = <T>(d: Decision<T>): d is { conflict: NoteFact<T>[] } => !!d && 'conflict' in d;

// ---------------------------------------------------------------- facts

const STRUCTURED_DOSE = /\b(?:dose|rate)\s*(?:changed|change)\s*[:=]\s*(yes|no|y|n)\b/i;
const DOSE_NO = /\bno (?:dose|rate|dosing|setting) changes?\b|\bno changes? (?:was |were )?(?:made )?(?:to|in) (?:the )?(?:daily )?(?:dose|rate|dosing|infusion rate|settings?)\b|\b(?:dose|rate|dosing)(?: was| is| remains?| remained)? (?:unchanged|not changed|the same|stable)\b|\bwithout (?:a |any )?(?:dose|rate) change|\b(?:continue[sd]?|continuing|kept|keep) (?:at |on )?(?:the )?(?:same|current) (?:dose|rate|settings)\b|\bno reprogramming\b|\bnot reprogrammed\b/i;
const DOSE_YES = /\b(?:daily |bolus |infusion |basal )?(?:dose|rate|dosing)\b[^.;]{0,40}?\b(?:was |were )?(?:increased|decreased|changed|titrated|adjusted|reduced|raised|lowered)\b|\b(?:increased|decreased|titrated|adjusted|reduced|raised|lowered|changed)\b(?: the)?(?: daily| basal| infusion)? (?:dose|rate|dosing)\b|\breprogrammed\b[^.;]{0,40}\b(?:to|from)\b\s*\d|\bnew (?:daily )?(?:dose|rate)\b\s*(?:is|of|:)?\s*\d/i;
const DOSE_AMOUNT = /\bfrom\s+(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(mcg|µg|μg|ug|mg|ml|mL)?(?:\s*\/\s*(?:day|d|24 ?h))?\s+to\s+(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(mcg|µg|μg|ug|mg|ml|mL)(?:\s*\/\s*(?:day|d|24 ?h))?|\bby\s+(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(%|percent|mcg|µg|μg|ug|mg)(?:\s*\/\s*(?:day|d))?/i;

/** Was the rate or dose changed? yes/no with the sentence, plus how much when the sentence says. */
export function readDoseChange(sentences: NoteSentence[]): Decision<'yes' | 'no'> & { detail?: string } | undefined {
  const hits: NoteFact<'yes' | 'no'>[] = [];
  let detail: string | undefined;
  for (const s of sentences) {
    if (s.code) continue;
    const t = s.text;
    if (s.question || s.blank) continue;
    const structured = STRUCTURED_DOSE.exec(t);
    if (structured) { hits.push({ value: /^y/i.test(structured[1] as string) ? 'yes' : 'no', sentence: t, from: s.from }); continue; }
    if (DOSE_NO.test(t) && !s.hedged) { hits.push({ value: 'no', sentence: t, from: s.from }); continue; }
    const yes = DOSE_YES.exec(t);
    if (yes && !negatedAt(t, yes) && !s.hedged) {
      hits.push({ value: 'yes', sentence: t, from: s.from });
      const amount = DOSE_AMOUNT.exec(t);
      if (amount && !detail) detail = clip(amount[0], 200);
    }
  }
  const d = decide(hits);
  if (d && !isConflict(d) && d.value === 'yes' && detail) return { ...d, detail };
  return d;
}

const STRUCTURED_SKILL = /physician(?:[- ]level)? skill (?:was )?(?:required|needed)\s*[:=-]\s*(.+)/i;
const SKILL = /\b(?:requir(?:ed|es|ing)|needed|necessitat(?:ed|ing)) (?:the )?(?:skill|expertise|judg(?:e)?ment) of (?:a |the )?physician\b[^.;]*?(?:\s*[:;,–-]\s*|\s+(?:for|because(?: of)?|due to|given|as)\s+)(.+)|\bphysician(?:[- ]level)? (?:skill|expertise|judg(?:e)?ment) (?:was |is )?(?:required|needed|necessary)\b(?:\s*[:;,–-]\s*|\s+(?:for|because(?: of)?|due to|given|as)\s+)(.+)/i;

/** Why physician skill was required: the reason as written (never a bare "physician skill required"). */
export function readPhysicianSkill(sentences: NoteSentence[]): NoteFact<string> | undefined {
  for (const s of sentences) {
    if (s.code) continue;
    const t = s.text;
    if (s.question || s.blank) continue;
    const m = STRUCTURED_SKILL.exec(t) ?? SKILL.exec(t);
    if (!m) continue;
    const reason = (m[1] ?? m[2] ?? '').trim().replace(/[.;]\s*$/, '');
    if (!reason || /^(?:no|none|n\/a|not required|not needed)\b/i.test(reason)) continue;
    if (s.hedged || /\bnot (?:required|needed|necessary)\b/i.test(t.slice(0, m.index + 40))) continue;
    return { value: clip(reason, 500), sentence: t, from: s.from };
  }
  return undefined;
}

const SUPERVISION_NO = /\b(?:supervising )?physician[^.;]{0,40}\b(?:not (?:on[- ]?site|present|in the (?:office|suite|clinic|building))|off[- ]?site|remote(?:ly)?|by (?:phone|telephone))\b|\bno (?:supervising )?physician (?:was )?(?:on[- ]?site|present)\b|\bgeneral supervision\b/i;
const SUPERVISION_YES = /\b(?:supervising physician|supervising provider|attending|physician|Dr\.?\s+[A-Z][A-Za-z'-]*)[^;]{0,60}?\b(?:on[- ]?site|present|in the (?:office|suite|clinic|building)|immediately available)\b|\b(?:under|with) direct (?:physician )?supervision\b/i;

/** Was a supervising physician on site? */
export function readSupervision(sentences: NoteSentence[]): Decision<boolean> {
  const hits: NoteFact<boolean>[] = [];
  for (const s of sentences) {
    if (s.code) continue;
    const t = s.text;
    if (s.question || s.blank || s.hedged) continue;
    if (SUPERVISION_NO.test(t)) { hits.push({ value: false, sentence: t, from: s.from }); continue; }
    const yes = SUPERVISION_YES.exec(t);
    if ((yes && !negatedAt(t, yes)) || (/\bdirect (?:physician )?supervision\b/i.test(t) && !isNegated(t))) hits.push({ value: true, sentence: t, from: s.from });
  }
  return decide(hits);
}

type Purchaser = 'practice' | 'pharmacy' | 'patient';
const PURCHASER: [Purchaser, RegExp][] = [
  ['patient', /\bpatient[- ](?:supplied|provided|owned|brought)\b|\b(?:supplied|brought|provided|purchased) by the patient\b|\bbrown[- ]bag(?:ged)?\b|\bpatient brought (?:the |their |his |her )?(?:own )?(?:drug|medication|syringe|vial)/i],
  ['pharmacy', /\b(?:dispensed|supplied|provided|delivered|shipped|compounded and shipped|billed) (?:by|from) (?:the |a |an )?(?:\w+ )?(?:specialty |compounding |outside )?pharmacy\b|\bpharmacy[- ](?:supplied|dispensed|provided|billed)\b|\bwhite[- ]bag(?:ged)?\b|\bpharmacy (?:dispensed|supplied|provided|delivered|shipped|billed)\b/i],
  ['practice', /\b(?:purchased|bought|supplied|provided) by (?:the |our )?(?:practice|clinic|office|physician)\b|\b(?:practice|clinic|office)[- ](?:purchased|stock|supplied|bought)\b|\b(?:from|out of) (?:the |our )?(?:clinic|office|practice) (?:stock|supply|inventory)\b|\bbuy[- ](?:and|&)[- ]bill\b/i],
];
/** Who bought the drug, when a sentence says so plainly. */
export function readPurchaser(sentences: NoteSentence[]): Decision<Purchaser> {
  const hits: NoteFact<Purchaser>[] = [];
  for (const s of sentences) {
    if (s.code) continue;
    const t = s.text;
    if (s.question || s.blank || s.hedged) continue;
    for (const [value, re] of PURCHASER) {
      const m = re.exec(t);
      if (m && !negatedAt(t, m)) { hits.push({ value, sentence: t, from: s.from }); break; }
    }
  }
  return decide(hits);
}

const REASON_LINE = /\breason for (?:the )?(?:analysis|interrogation|visit|telemetry)\s*[:=-]\s*(.+)/i;
const INTERROGATED_FOR = /\b(?:interrogat(?:ed|ion)|analy[sz](?:ed|is)|telemetry)\b[^.;]{0,40}?\b(?:due to|because of|because|for|after|following|prompted by|to evaluate|to assess)\s+(.+)/i;
const ALARM = /\b(?:(?:low[- ]reservoir|critical|pump|device) alarm|alarm (?:sounded|triggered|went off|was heard|beeping)|pump (?:was )?alarming|beeping)\b/i;
const MRI = /\b(?:after|post|following)[- ](?:an? |the |recent )?(?:\w+ )?MRI\b/i;
/** Why the pump was interrogated: an explicit reason, else an alarm or an MRI the note reports as having happened. */
export function readInterrogationReason(sentences: NoteSentence[]): NoteFact<string> | undefined {
  for (const s of sentences) {
    if (s.code) continue;
    const t = s.text;
    if (s.question || s.blank || s.hedged) continue;
    const m = REASON_LINE.exec(t) ?? INTERROGATED_FOR.exec(t);
    const reason = m?.[1]?.trim().replace(/[.;]\s*$/, '');
    if (reason && !/^(?:routine|scheduled|refill)\b/i.test(reason) && !/^(?:no|none|n\/a)\b/i.test(reason)) {
      return { value: clip(reason, 500), sentence: t, from: s.from };
    }
  }
  for (const s of sentences) {
    if (s.code) continue;
    const t = s.text;
    if (s.question || s.hedged) continue;
    const mri = MRI.exec(t);
    if (mri && !negatedAt(t, mri)) return { value: 'After an MRI', sentence: t, from: s.from };
    const alarm = ALARM.exec(t);
    if (alarm && !negatedAt(t, alarm)) return { value: 'Pump alarm', sentence: t, from: s.from };
  }
  return undefined;
}

export interface ServiceWords { analysis?: NoteFact<true>; refill?: NoteFact<boolean>; reprogramming?: NoteFact<true> }
const ANALYSIS_WORDS = /\b(?:interrogat(?:ed|ion|e)|electronic analysis|telemetry|pump analy[sz](?:is|ed))\b/i;
const REFILL_WORDS = /\b(?:refill(?:ed|ing)?|re-?filled|instilled|reservoir (?:was )?filled)\b/i;
const NO_REFILL = /\bnot refill(?:able|ed)\b|\bnothing was instilled\b|\bno refill\b|\brefill (?:was )?(?:not (?:done|performed)|deferred|cancel(?:l)?ed)\b/i;
const REPROGRAM_WORDS = /\breprogram(?:med|ming)?\b/i;
/** Which services the note's words describe ("interrogated", "refilled", "not refilled", "reprogrammed"). */
export function readServiceWords(sentences: NoteSentence[]): ServiceWords {
  const out: ServiceWords = {};
  for (const s of sentences) {
    if (s.code) continue; // a procedure's code text is read by procedures.ts (pumpServiceOfText)
    const t = s.text;
    if (s.question || s.blank || s.hedged) continue;
    if (NO_REFILL.test(t)) { out.refill = { value: false, sentence: t, from: s.from }; continue; }
    const a = ANALYSIS_WORDS.exec(t);
    if (a && !negatedAt(t, a) && !out.analysis) out.analysis = { value: true, sentence: t, from: s.from };
    const r = REFILL_WORDS.exec(t);
    if (r && !negatedAt(t, r) && !out.refill) out.refill = { value: true, sentence: t, from: s.from };
    const p = REPROGRAM_WORDS.exec(t);
    if (p && !negatedAt(t, p) && !out.reprogramming) out.reprogramming = { value: true, sentence: t, from: s.from };
  }
  return out;
}

/** "The note says: "…"" — the sentence a derived fact came from, for FactSource.note (300 chars at most). */
export const quoted = (sentence: string, lead = 'The note says') => `${lead}: "${clip(sentence, 240)}"; confirm.`;

const SINGLE_DOSE = /\b(?:single|one)[- ](?:dose|use)\b|\bpreservative[- ]free (?:ampul(?:e)?s?|ampoules?)\b/i;
const MULTI_DOSE = /\bmulti(?:ple)?[- ]?(?:dose|use)\b/i;
/** The container the drug came from, when a sentence names it: single-dose/single-use (JW/JZ apply) or multi-dose. */
export function readContainer(sentences: NoteSentence[]): Decision<boolean> {
  const hits: NoteFact<boolean>[] = [];
  for (const s of sentences) {
    if (s.code || s.question || s.hedged) continue;
    const multi = MULTI_DOSE.exec(s.text);
    if (multi && !negatedAt(s.text, multi)) { hits.push({ value: false, sentence: s.text, from: s.from }); continue; }
    const single = SINGLE_DOSE.exec(s.text);
    if (single && !negatedAt(s.text, single)) hits.push({ value: true, sentence: s.text, from: s.from });
  }
  return decide(hits);
}

const NOTHING_DISCARDED = /\b(?:none|nothing|no (?:drug|medication|residual|amount)?\s*(?:was )?)\s*(?:was )?(?:discarded|wasted)\b|\bno (?:drug |medication )?(?:waste|wastage)\b|(?<![\d.,])\b0(?:\.0+)? ?(?:mg|mcg|ml)\b[^.;]{0,12}\b(?:discarded|wasted)\b|\b(?:discarded|wasted|waste)\s*[:=]\s*(?:none|0(?:\.0+)?(?: ?(?:mg|mcg|ml))?)\b/i;
/** numbers with thousands separators (\"1,000 mcg\" is never 0 or 000); a decimal comma (\"2,5 mL\") is not read */
const AMOUNT_DISCARDED = /(?<![\d.,])\b(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(mg|mcg|µg|μg|ug|ml)(?![a-z])[^.;]{0,20}?\b(?:was |were )?(?:discarded|wasted)\b|\b(?:discarded|wasted|waste)\s*[:=]?\s*(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(mg|mcg|µg|μg|ug|ml)(?![a-z])/i;
/**
 * The amount discarded from a single-dose container (JW), or 0 when a sentence says none was (JZ). The unit is kept as
 * written; the caller converts it only when it can (never a guess).
 */
export function readWaste(sentences: NoteSentence[]): Decision<{ amount: number; unit: 'mg' | 'mcg' | 'mL' }> {
  const hits: NoteFact<{ amount: number; unit: 'mg' | 'mcg' | 'mL' }>[] = [];
  for (const s of sentences) {
    if (s.code || s.question || s.hedged || s.blank) continue;
    if (NOTHING_DISCARDED.test(s.text)) { hits.push({ value: { amount: 0, unit: 'mg' }, sentence: s.text, from: s.from }); continue; }
    const m = AMOUNT_DISCARDED.exec(s.text);
    if (!m) continue;
    const amount = Number((m[1] ?? m[3] ?? '').replace(/,/g, ''));
    const u = (m[2] ?? m[4] ?? '').toLowerCase();
    const unit = u === 'mg' ? 'mg' : u === 'ml' ? 'mL' : 'mcg';
    if (Number.isFinite(amount) && amount >= 0) hits.push({ value: { amount, unit }, sentence: s.text, from: s.from });
  }
  const first = hits[0];
  if (!first) return undefined;
  const same = (h: typeof first) => h.value.amount === first.value.amount && (h.value.amount === 0 || h.value.unit === first.value.unit);
  const differing = hits.find((h) => !same(h));
  return differing ? { conflict: [first, differing] } : first;
}
