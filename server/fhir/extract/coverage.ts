/**
 * coverage: the active Coverage (lowest `order`) in force on the service date; payor → Organization name and
 * identifier (NAIC preferred); Coverage.class of type "plan" → plan name; Coverage.type SOPT codes → line of business.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { clip, codesIn, dateOf, isObj, num, obj, objs, refTo, str, SYSTEMS } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

export function readCoverage(visit: Visit): VisitFacts['coverage'] {
  const { index, src, references, serviceDate } = visit;
  const coverageFacts: VisitFacts['coverage'] = { lineOfBusiness: 'unknown' };
  guarded(src, 'coverage.lineOfBusiness', () => {
    // Prefer active Coverages not ended before the service date; fall back step by step to any Coverage.
    const all = index.ofType('Coverage');
    const active = all.filter((c) => str(c.status) === 'active');
    const pool = (active.length ? active : all)
      .filter((c) => { const end = dateOf(obj(c.period).end); return !end || end >= serviceDate; });
    const coverage = [...(pool.length ? pool : active.length ? active : all)]
      .sort((a, b) => (num(a.order) ?? 99) - (num(b.order) ?? 99))[0];
    if (!coverage) {
      src.set('coverage.lineOfBusiness', 'default', undefined, 'No Coverage in the record; choose the payer and line of business.');
      return;
    }
    if (str(coverage.id)) references.coverage = refTo(coverage);
    if (str(coverage.status) !== 'active') src.set('coverage', 'default', coverage, 'The only Coverage on record is not active; confirm the payer.');

    // Payer: the payor Organization, or the payor reference's display / identifier.
    const payorRef = objs(coverage.payor)[0];
    const payer = payorRef ? index.resolve(payorRef) : undefined;
    const payerName = str(payer?.name) ?? str(payorRef?.display);
    if (payerName) {
      coverageFacts.payerName = clip(payerName, 200);
      src.set('coverage.payerName', 'record', payer ?? coverage);
    } else {
      src.set('coverage.payerName', 'default', coverage, 'The Coverage names no payer; the payer mapping cannot match on name.');
    }
    const identifiers = [...objs(payer?.identifier), ...(payorRef && isObj(payorRef.identifier) ? [payorRef.identifier] : [])]
      .filter((i) => str(i.value));
    const id = identifiers.find((i) => str(i.system) === SYSTEMS.naic) ?? identifiers[0];
    if (id) {
      coverageFacts.payerId = clip(str(id.value) as string, 100);
      const system = str(id.system);
      if (system) coverageFacts.payerIdSystem = clip(system, 200);
      src.set('coverage.payerId', 'record', payer ?? coverage);
    }

    // Plan name.
    const plan = objs(coverage.class).find((c) => codesIn(c.type, SYSTEMS.coverageClass).includes('plan'));
    const planName = plan ? str(plan.name) ?? str(plan.value) : undefined;
    if (planName) {
      coverageFacts.planName = clip(planName, 200);
      src.set('coverage.planName', 'record', coverage);
    }

    // Line of business from Source of Payment Typology.
    const sopt = codesIn(coverage.type, SYSTEMS.sopt).filter((c) => c.length <= 20);
    if (sopt.length) {
      coverageFacts.typeCodes = sopt.slice(0, 10);
      src.set('coverage.typeCodes', 'record', coverage);
      // The most specific (longest) code decides; "1" MEDICARE alongside "111" Medicare HMO means MA.
      const decisive = [...sopt].sort((a, b) => b.length - a.length)[0] as string;
      coverageFacts.lineOfBusiness = lineOfBusinessFromSopt(decisive);
      if (coverageFacts.lineOfBusiness === 'unknown') {
        src.set('coverage.lineOfBusiness', 'default', coverage, `Source of Payment Typology code ${decisive} does not settle the line of business; the payer mapping or the clinician decides.`);
      } else {
        src.set('coverage.lineOfBusiness', 'derived', coverage, `From Source of Payment Typology code ${decisive} on Coverage.type.`);
      }
    } else {
      src.set('coverage.lineOfBusiness', 'default', coverage, 'Coverage.type has no Source of Payment Typology code; the payer mapping decides the line of business.');
    }
  }, undefined, 'choose the payer and line of business.');
  return coverageFacts;
}

function lineOfBusinessFromSopt(code: string): VisitFacts['coverage']['lineOfBusiness'] {
  if (code === '523' || code === '623') return 'unknown';           // Medicare supplemental (secondary to Medicare)
  if (code === '14' || code.startsWith('14')) return code.length > 2 ? 'medicare-advantage' : 'unknown'; // dual
  if (code.startsWith('11')) return 'medicare-advantage';
  if (code.startsWith('1')) return 'medicare';
  if (code.startsWith('23') || code === '361') return 'chip';
  if (code.startsWith('2')) return 'medicaid';
  if (code === '3712' || code.startsWith('5') || code.startsWith('6')) return 'commercial';
  return 'unknown';
}
