/**
 * Refill and interrogation frequency (002, quoting CMS/Noridian): refills must fit the pump's size and
 * the dose, and repeated interrogation must be supported by symptoms.
 *
 * "Much earlier" is defined as: the days since the last refill are less than SHORT_REFILL_FRACTION of
 * the expected interval (reservoir volume ÷ daily volume, capped at the payer's typical interval).
 */
import type { Citation, VisitFacts } from '../contracts/index.js';
import { ARTICLE } from './citations.js';
import { REFILL_CODES } from './codes.js';
import type { DeterminationBuilder } from './determination-builder.js';

export const SHORT_REFILL_FRACTION = 0.5;
/** analyses within this many days of each other count as repeated */
export const INTERROGATION_WINDOW_DAYS = 31;

const DAY_MS = 86_400_000;
export function dayNumber(isoDate: string): number {
  const y = +isoDate.slice(0, 4), m = +isoDate.slice(5, 7), d = +isoDate.slice(8, 10);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}
export function daysBetween(earlier: string, later: string): number { return dayNumber(later) - dayNumber(earlier); }

/** days the reservoir lasts at the programmed daily volume, capped at the payer's typical interval */
export function refillIntervalDays(reservoirVolumeMl: number, dailyVolumeMl: number, capDays?: number): number {
  const days = reservoirVolumeMl / dailyVolumeMl;
  return capDays !== undefined ? Math.min(days, capDays) : days;
}

export interface FrequencyOptions { capDays?: number; capCitation?: Citation; medicareRules: boolean }

/** the last refill before this visit: lastRefillDate, else the latest refill code in priorServices */
export function lastRefillBefore(facts: VisitFacts): string | undefined {
  if (facts.lastRefillDate && facts.lastRefillDate <= facts.serviceDate) return facts.lastRefillDate;
  let last: string | undefined;
  for (const s of facts.priorServices ?? []) {
    if (REFILL_CODES.has(s.code) && s.date < facts.serviceDate && (!last || s.date > last)) last = s.date;
  }
  return last;
}

export function applyFrequencyRules(facts: VisitFacts, pumpCode: string | undefined, options: FrequencyOptions, b: DeterminationBuilder): void {
  // ---- refill interval
  if (pumpCode && REFILL_CODES.has(pumpCode)) {
    const last = lastRefillBefore(facts);
    const { reservoirVolumeMl } = facts.device;
    const daily = facts.dailyVolumeMl;
    if (last && reservoirVolumeMl && daily) {
      const expected = refillIntervalDays(reservoirVolumeMl, daily, options.capDays);
      const actual = daysBetween(last, facts.serviceDate);
      const threshold = expected * SHORT_REFILL_FRACTION;
      if (actual < threshold) {
        const cites = [ARTICLE.refillFrequency, ARTICLE.monthlyRefills];
        if (options.capCitation && options.capDays !== undefined && reservoirVolumeMl / daily > options.capDays) cites.push(options.capCitation);
        b.warn('refill-interval-short', 'warning',
          'This refill comes ' + actual + ' days after the last one (' + last + '), but the ' + reservoirVolumeMl + ' mL reservoir at ' + daily + ' mL/day should last about ' + Math.round(expected) + ' days' +
          (options.capDays !== undefined && reservoirVolumeMl / daily > options.capDays ? ' (capped at the payer\'s typical ' + options.capDays + ' days)' : '') +
          '. Refills sooner than ' + Math.round(SHORT_REFILL_FRACTION * 100) + '% of the expected interval (' + Math.round(threshold) + ' days) are flagged: document why the early refill was needed (dose increase, drug change, stability).',
          cites);
        b.check('refill-interval-justification', 'Document why the pump was refilled before the reservoir volume and daily dose required it.', true, cites);
      }
    }
  }

  // ---- repeated interrogation
  if (pumpCode === '62367' || pumpCode === '62368') {
    const reason = facts.services.analysisReason?.trim();
    const today = dayNumber(facts.serviceDate);
    const repeated = (facts.priorServices ?? []).some((s) => {
      if (s.code !== '62367' && s.code !== '62368') return false;
      const gap = today - dayNumber(s.date);
      return gap >= 0 && gap <= INTERROGATION_WINDOW_DAYS && s.date !== facts.serviceDate;
    });
    if (repeated && !reason) {
      b.warn('interrogation-frequency', 'warning',
        'The pump was already analysed within the last ' + INTERROGATION_WINDOW_DAYS + ' days and no reason is recorded for this analysis. Record the symptoms, alarm, imaging or dose change that made it necessary.',
        [ARTICLE.interrogationFrequency, ARTICLE.monthlyRefills]);
    }
    b.check('interrogation-reason',
      reason ? 'Reason for the analysis recorded: ' + reason + '.' : 'Record why the pump was analysed (symptoms, alarm, imaging, dose change).',
      options.medicareRules || (repeated && !reason), [ARTICLE.interrogationFrequency]);
  }
}
