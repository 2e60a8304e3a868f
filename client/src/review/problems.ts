/**
 * Everything that stands between the suggested lines and a safe claim, in one list sorted by severity: parts of
 * the record that could not be read, what the record lacks (no implanted pump, no coverage, no diagnosis), a failed
 * evaluation, the server's record notices and the policy warnings. Each says what to do; none is hidden in a card.
 * Pure (facts in, problems out) so the rules are unit-tested.
 */
import type { Citation, EvaluateResponse, RecordNotice, VisitFacts } from '../../../server/contracts/index';
import type { ReadNotice } from '../fhir/reads';
import { readNoticeToWords, type Words } from '../errors';

export type Severity = 'error' | 'warning' | 'info';

export type ProblemAction =
  | { kind: 'retry-read'; label: string }
  | { kind: 'retry-evaluate'; label: string }
  | { kind: 'confirm-device'; label: string }
  | { kind: 'overrides'; label: string; overrides: Record<string, unknown> };

export interface Problem {
  id: string;
  severity: Severity;
  message: string;
  next?: string;
  action?: ProblemAction;
  citations?: Citation[];
  /** where it came from: the record read, the app's own checks, the server's record notices, the policy */
  origin: 'read' | 'gap' | 'notice' | 'evaluation' | 'policy';
  /** for a part of the record that could not be read: which and how */
  read?: Pick<ReadNotice, 'part' | 'kind'>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then notes; the order within a severity is kept. */
export function bySeverity<T extends { severity: Severity }>(list: readonly T[]): T[] {
  return list.map((p, i) => ({ p, i })).sort((a, b) => RANK[a.p.severity] - RANK[b.p.severity] || a.i - b.i).map((x) => x.p);
}

const KIND_WORDS: Record<VisitFacts['device']['kind'], string> = {
  'implanted-programmable-pump': 'an implanted programmable pump',
  'implanted-nonprogrammable-pump': 'an implanted non-programmable pump',
  'implanted-reservoir': 'an implanted reservoir',
  'external-disposable-pump': 'an external or disposable pump',
  unknown: 'an unknown device',
};

export interface ProblemInput {
  result?: EvaluateResponse;
  readNotices: readonly ReadNotice[];
  evaluationError?: Words;
  /** the clinician has set the device kind on this screen */
  deviceConfirmed: boolean;
}

function readProblem(n: ReadNotice): Problem {
  const retryable = n.kind === 'failed' || n.kind === 'timeout';
  const base = { id: `read-${n.part}-${n.kind}`, origin: 'read' as const, message: readNoticeToWords(n), read: { part: n.part, kind: n.kind } };
  if (n.part === 'Coverage') {
    // distinct from "none found": the payer is unknown, so the payer's rules could not be applied
    return {
      ...base,
      id: 'coverage-unreadable',
      severity: 'error',
      message: `The insurance coverage could not be read (${n.kind === 'timeout' ? 'no answer in time' : n.kind === 'failed' ? `error ${n.status ?? 'unknown'}` : n.kind === 'forbidden' ? '403: not granted' : n.kind === 'not-found' ? '404' : 'not granted'}), so the payer's rules were not applied: the lines follow AMA CPT rules only.`,
      next: retryable ? 'Retry reading the record; if it keeps failing, check the coverage in the EHR before billing.'
        : 'Ask your EHR administrator to grant the app access to Coverage, then relaunch. Until then check the payer\'s rules yourself.',
      action: retryable ? { kind: 'retry-read', label: 'Retry reading the record' } : undefined,
    };
  }
  const important = n.part === 'Device' || n.part === 'Procedure' || n.part === 'Patient';
  return {
    ...base,
    severity: important ? 'error' : 'warning',
    action: retryable ? { kind: 'retry-read', label: 'Retry reading the record' } : undefined,
  };
}

export function collectProblems(input: ProblemInput): Problem[] {
  const out: Problem[] = [];
  for (const n of input.readNotices) out.push(readProblem(n));
  if (input.evaluationError) {
    out.push({
      id: 'evaluation-failed', origin: 'evaluation', severity: 'error',
      message: input.evaluationError.message, next: input.evaluationError.next,
      action: { kind: 'retry-evaluate', label: 'Retry' },
    });
  }
  const r = input.result;
  if (r) {
    const { facts, factSources: src } = r;
    const unread = (part: ReadNotice['part']) => input.readNotices.some((n) => n.part === part);
    const deviceSource = src['device.kind'];
    if (!input.deviceConfirmed && (facts.device.kind === 'unknown' || !deviceSource || deviceSource.status === 'default')) {
      out.push({
        id: 'no-device', origin: 'gap', severity: 'error',
        message: facts.device.kind === 'unknown'
          ? 'No implanted pump is recorded for this patient (no Device), so the pump codes cannot be chosen.'
          : `No implanted pump is recorded for this patient (no Device); the lines assume ${KIND_WORDS[facts.device.kind]}, which is a guess.`,
        next: 'Confirm the pump type here (or record the implant in the EHR): Write stays off until you do.',
        action: { kind: 'confirm-device', label: 'Confirm the pump type' },
      });
    } else if (!input.deviceConfirmed && deviceSource?.status === 'derived') {
      out.push({
        id: 'device-derived', origin: 'gap', severity: 'warning',
        message: `The pump type (${KIND_WORDS[facts.device.kind]}) was read from the device's description, not from a code${deviceSource.note ? `: ${deviceSource.note}` : '.'}`,
        next: 'Confirm the pump type.',
        action: { kind: 'confirm-device', label: 'Confirm the pump type' },
      });
    }
    if (!facts.coverage.payerName && !facts.coverage.payerId && !unread('Coverage')) {
      out.push({
        id: 'no-coverage', origin: 'gap', severity: 'warning',
        message: 'No active coverage is recorded for the date of service, so no payer\'s rules apply: the lines follow AMA CPT rules only.',
        next: 'Check the patient\'s insurance in the EHR; once it is recorded, retry.',
        action: { kind: 'retry-read', label: 'Retry reading the record' },
      });
    }
    if (facts.diagnoses.length === 0) {
      out.push({
        id: 'no-diagnosis', origin: 'gap', severity: 'warning',
        message: 'No diagnosis (ICD-10-CM) is recorded for this visit; a claim without one is denied.',
        next: 'Add the diagnosis to the visit in the EHR, then retry.',
        action: { kind: 'retry-read', label: 'Retry reading the record' },
      });
    }
    for (const n of r.recordNotices ?? []) out.push(noticeProblem(n));
    for (const w of r.determination.warnings) {
      // a warning that says what a notice or a gap already says (a mapping tie, a missing diagnosis) is shown once,
      // with the warning's sources and the notice's action
      const same = out.find((p) => p.id === w.id || p.id === SAME_PROBLEM[w.id]);
      if (same) {
        same.citations = [...(same.citations ?? []), ...w.citations];
        if (RANK[w.severity] < RANK[same.severity]) same.severity = w.severity;
        continue;
      }
      out.push({ id: w.id, origin: 'policy', severity: w.severity, message: w.message, citations: w.citations });
    }
  }
  return bySeverity(out);
}

/** policy warning id → the gap id that already says it */
const SAME_PROBLEM: Record<string, string> = { 'diagnosis-missing': 'no-diagnosis' };

function noticeProblem(n: RecordNotice): Problem {
  return {
    id: n.id, origin: 'notice', severity: n.severity, message: n.message,
    action: n.action ? { kind: 'overrides', label: n.action.label, overrides: n.action.overrides } : undefined,
  };
}

/** True when a problem must be settled before writing (a guess would be written as a fact). */
export const blocksWrite = (p: Problem) => p.id === 'no-device';
