/**
 * iCare (Independent Care Health Plan, Wisconsin) Medicare Advantage policy WI.PA-1133 (001): follows CMS
 * — NCD 280.14 and the LCD/LCA of the MAC jurisdiction where the service was furnished (A55239 JE,
 * A55323 JF, L33461 JJ, A56695 JM). The plan's home is Wisconsin (J6, NGS), for which the policy lists no
 * document. Its code list separates programmable implanted pumps from disposable postoperative pumps.
 */
import type { Citation } from '../../contracts/index.js';
import { ICARE } from '../citations.js';
import type { PolicyModule } from '../engine.js';

const NONE: readonly Citation[] = Object.freeze([]);
/** iCare's own text for its pump-service lines: it follows CMS, and prints the CPT descriptors */
const ICARE_LINE_CITATIONS: Readonly<Record<string, readonly Citation[]>> = Object.freeze({
  '62367': [ICARE.followsCms, ICARE.code62367], '62368': [ICARE.followsCms, ICARE.code62368], '62369': [ICARE.followsCms, ICARE.code62369],
  '62370': [ICARE.followsCms, ICARE.code62370], '96522': [ICARE.followsCms, ICARE.code96522], '95990': [ICARE.followsCms], '95991': [ICARE.followsCms],
});

export const icareMa: PolicyModule = {
  info: {
    id: 'icare-ma',
    name: 'iCare Medicare Advantage WI.PA-1133 — Implantable Infusion Pumps for Pain or Spasticity',
    version: '1.0.0',
    sourceDate: '2024-01-01',
    sources: [
      { file: '001_931196b5a260c27d.txt', title: 'iCare Medicare Advantage Medical Coverage Policy WI.PA-1133' },
      { file: '002_0ba349b388c372c5.txt', title: 'Implantable Infusion Pumps for Chronic Pain (coding article on CMS A55239)' },
      { file: '004_449821d80fe360c5.txt', title: 'AMA CPT Assistant scenarios (coders\' forum thread)' },
    ],
    linesOfBusiness: ['medicare-advantage'],
  },
  plan(_facts, lob) {
    return {
      medicare: {
        advantage: lob !== 'medicare',
        homeState: 'WI',
        planLabel: 'iCare Medicare Advantage',
        noDocumentNote: 'iCare\'s policy WI.PA-1133 lists documents for JE, JF, JJ and JM only, none for Wisconsin',
      },
    };
  },
  apply(_facts, lob, _visit, b) {
    b.notes.push('iCare follows the CMS requirements (policy WI.PA-1133, line of business Medicare' + (lob !== 'medicare-advantage' && lob !== 'medicare' ? '; this coverage is recorded as ' + lob + ', and the Medicare Advantage policy was applied as mapped' : '') + ').');
  },
  lineCitations(line) { return ICARE_LINE_CITATIONS[line.code] ?? NONE; },
};
