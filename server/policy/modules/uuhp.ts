/**
 * U of U Health Plans medical policy: refill of implanted intrathecal/epidural pumps (000).
 *
 *   Commercial and CHIP ("1. Commercial Plans/CHIP"): COVERS 62369 or 62370; lists 95990/95991 as covered;
 *     S9328 NOT covered for implanted pain pumps.
 *   Medicaid (Healthy U, "2. Medicaid Plans"): Utah Medicaid's position first, else InterQual, else the
 *     Commercial criteria → state-medicaid-precedence, Commercial criteria applied here.
 *   Advantage U (Medicare): named in the policy's scope but given no criteria → policy-silent-for-line-of-
 *     business, and Medicare rules for the state where the service was furnished (plan home: Utah, JF).
 *   Typical refill interval 90 days (caps the expected interval).
 */
import type { Citation } from '../../contracts/index.js';
import { UUHP } from '../citations.js';
import type { PolicyModule } from '../engine.js';

const NONE: readonly Citation[] = Object.freeze([]);
/** U of U's own text for its lines (placed first) */
const UUHP_LINE_CITATIONS: Readonly<Record<string, readonly Citation[]>> = Object.freeze({
  '62369': [UUHP.covers], '62370': [UUHP.covers], '95990': [UUHP.codes95990], '95991': [UUHP.codes95991],
});

export const uuhp: PolicyModule = {
  info: {
    id: 'uuhp',
    name: 'U of U Health Plans — Refill of implanted intrathecal or epidural infusion pumps',
    version: '1.0.0',
    sourceDate: 'undated',
    sources: [
      { file: '000_79e2bd03f86c6506.txt', title: 'U of U Health Plans medical policy: refill of implanted intrathecal/epidural pumps' },
      { file: '002_0ba349b388c372c5.txt', title: 'Implantable Infusion Pumps for Chronic Pain (coding article on CMS A55239), for Advantage U' },
      { file: '004_449821d80fe360c5.txt', title: 'AMA CPT Assistant scenarios (coders\' forum thread)' },
    ],
    linesOfBusiness: ['commercial', 'chip', 'medicaid', 'medicare-advantage'],
  },
  plan(_facts, lob, b) {
    const cap = { refillIntervalCapDays: 90, refillIntervalCapCitation: UUHP.typicalInterval };
    if (lob === 'medicaid') {
      b.warn('state-medicaid-precedence', 'info',
        'Healthy U (Medicaid): Utah Medicaid\'s coverage position comes first; only when Utah Medicaid has no published position and InterQual criteria are not available do the U of U Commercial criteria apply. The Commercial criteria are shown here: check Utah Medicaid\'s publications.',
        [UUHP.medicaid]);
      return cap;
    }
    if (lob === 'medicare-advantage' || lob === 'medicare') {
      b.warn('policy-silent-for-line-of-business', 'info',
        'The U of U policy names Advantage U (Medicare) but gives no criteria for it, so Medicare rules were applied: NCD 280.14 and the local coverage article of the jurisdiction where the service was furnished.',
        [UUHP.scope]);
      return { ...cap, medicare: { advantage: true, homeState: 'UT', planLabel: 'Advantage U (U of U Health Plans)' } };
    }
    return cap;
  },
  notCoveredCodes(facts) {
    if (facts.device.kind === 'external-disposable-pump') return [];
    return [{
      code: 'S9328',
      reason: 'U of U Health Plans does not cover S9328 (home infusion per diem) for the refill of implanted intrathecal or epidural pain pumps: the code is intended only for continuous IV infusions.',
      citations: [UUHP.s9328],
    }];
  },
  lineCitations(line) {
    return UUHP_LINE_CITATIONS[line.code] ?? NONE;
  },
  apply(_facts, lob, visit, b) {
    const code = visit.pump.code;
    if (!code || !b.hasLine(code)) return;
    b.check('prior-authorization', 'Check whether the member\'s plan requires prior authorization for this service: services requiring it may not be covered without it.', false, [UUHP.priorAuth]);
    const criteria = lob === 'medicare-advantage' || lob === 'medicare' ? 'Medicare rules' : lob === 'medicaid' ? 'the Commercial criteria (after Utah Medicaid)' : 'the Commercial/CHIP criteria';
    if (code === '62369' || code === '62370') {
      b.notes.push('U of U Health Plans covers 62369 or 62370 for the refill of implanted intrathecal or epidural pumps (' + criteria + ').');
    } else if (code === '95990' || code === '95991') {
      b.notes.push('The U of U policy lists ' + code + ' among its covered refill codes (' + criteria + ').');
    } else if (code === '62367' || code === '62368') {
      b.notes.push('The U of U policy addresses refills; an analysis without refill (' + code + ') follows the CPT rules.');
    } else {
      b.notes.push('The U of U policy addresses intrathecal and epidural pumps; a systemic pump refill follows the CPT rules.');
    }
  },
};
