/**
 * cpt-default: AMA CPT rules only (004 CPT Assistant scenarios; code descriptors as printed in 000/001),
 * used when no payer mapping matched. No payer coverage rules, no Medicare rules.
 */
import type { PolicyModule } from '../engine.js';

export const cptDefault: PolicyModule = {
  info: {
    id: 'cpt-default',
    name: 'AMA CPT coding rules only (no payer policy)',
    version: '1.0.0',
    sourceDate: '2012-01-01',
    sources: [
      { file: '004_449821d80fe360c5.txt', title: 'Coders\' forum thread quoting AMA CPT Assistant 2012 and CPT Changes 2012' },
      { file: '001_931196b5a260c27d.txt', title: 'CPT descriptors as printed in iCare WI.PA-1133' },
    ],
    linesOfBusiness: ['commercial', 'chip', 'medicaid', 'medicare-advantage', 'medicare', 'unknown'],
  },
  fallback: true,
  plan() { return {}; },
  apply(_facts, _lob, _visit, b) {
    b.notes.push('Only the AMA CPT coding rules were applied: no payer policy was found for this coverage.');
  },
};
