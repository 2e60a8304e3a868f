/**
 * Traditional Medicare: NCD 280.14 and the LCD/LCA of the MAC jurisdiction where the service was
 * furnished (documents as listed in 001), with the billing rules of CMS article A55239 as summarised in
 * 002 (one claim, practice-expense drugs with proof of purchase, minimal documentation, incident-to,
 * frequency supported by symptoms).
 */
import type { PolicyModule } from '../engine.js';

export const cmsMedicare: PolicyModule = {
  info: {
    id: 'cms-medicare',
    name: 'Traditional Medicare — NCD 280.14 and the MAC\'s implantable infusion pump LCD/LCA',
    version: '1.0.0',
    sourceDate: '2023-06-15',
    sources: [
      { file: '001_931196b5a260c27d.txt', title: 'NCD 280.14 and the MAC documents by jurisdiction (table in iCare WI.PA-1133)' },
      { file: '002_0ba349b388c372c5.txt', title: 'Implantable Infusion Pumps for Chronic Pain (coding article on CMS A55239)' },
      { file: '004_449821d80fe360c5.txt', title: 'AMA CPT Assistant scenarios (coders\' forum thread)' },
    ],
    linesOfBusiness: ['medicare'],
  },
  plan(_facts, lob) {
    return { medicare: { advantage: lob === 'medicare-advantage', planLabel: 'Medicare' } };
  },
};
