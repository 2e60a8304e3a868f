/**
 * Medicare Part B follows the state where the service was furnished → A/B MAC jurisdiction → the pump
 * LCD/LCA of that jurisdiction. The documents come from iCare WI.PA-1133's "Related Documents" table
 * (001); the rest of the state → MAC map is general knowledge (CMS MAC jurisdiction map) and carries
 * no pump document from the seeds.
 */
import type { Citation } from '../contracts/index.js';
import { ICARE, PUBLIC } from './citations.js';

export interface MacJurisdiction { mac: string; contractor: string; documents: string[] }

interface JurisdictionRow { mac: string; contractor: string; states: readonly string[]; documents: readonly string[]; citations: readonly Citation[] }

/** the CMS document itself (neutral); 001's row naming it is kept for iCare's own determinations only */
const cmsDocument = (doc: string, section: string): Citation => Object.freeze({ source: 'CMS ' + doc, section: section + ' (document list as published in iCare WI.PA-1133)' });

/** Rows with documents are quoted from 001; the others come from the CMS MAC jurisdiction map. */
const JURISDICTIONS: readonly JurisdictionRow[] = [
  { mac: 'JE', contractor: 'Noridian Healthcare Solutions, LLC', states: ['CA', 'HI', 'NV', 'AS', 'GU', 'MP'], documents: ['A55239'], citations: [cmsDocument('LCA A55239', 'JE — Noridian Healthcare Solutions, LLC'), ICARE.a55239] },
  { mac: 'JF', contractor: 'Noridian Healthcare Solutions, LLC', states: ['AK', 'AZ', 'ID', 'MT', 'ND', 'OR', 'SD', 'UT', 'WA', 'WY'], documents: ['A55323'], citations: [cmsDocument('LCA A55323', 'JF — Noridian Healthcare Solutions, LLC'), ICARE.a55323] },
  { mac: 'JJ', contractor: 'Palmetto GBA', states: ['AL', 'GA', 'TN'], documents: ['L33461'], citations: [cmsDocument('LCD L33461', 'JJ — Palmetto GBA'), ICARE.l33461] },
  { mac: 'JM', contractor: 'Palmetto GBA', states: ['NC', 'SC', 'VA', 'WV'], documents: ['A56695'], citations: [cmsDocument('LCA A56695', 'JM — Palmetto GBA'), ICARE.a56695] },
  { mac: 'JH', contractor: 'Novitas Solutions', states: ['AR', 'CO', 'LA', 'MS', 'NM', 'OK', 'TX'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'JL', contractor: 'Novitas Solutions', states: ['DE', 'DC', 'MD', 'NJ', 'PA'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'J5', contractor: 'Wisconsin Physicians Service (WPS)', states: ['IA', 'KS', 'MO', 'NE'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'J6', contractor: 'National Government Services (NGS)', states: ['IL', 'MN', 'WI'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'J8', contractor: 'Wisconsin Physicians Service (WPS)', states: ['IN', 'MI'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'JK', contractor: 'National Government Services (NGS)', states: ['CT', 'ME', 'MA', 'NH', 'NY', 'RI', 'VT'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'JN', contractor: 'First Coast Service Options', states: ['FL', 'PR', 'VI'], documents: [], citations: [PUBLIC.macMap] },
  { mac: 'J15', contractor: 'CGS Administrators', states: ['KY', 'OH'], documents: [], citations: [PUBLIC.macMap] },
];

const BY_STATE = new Map<string, JurisdictionRow>();
for (const row of JURISDICTIONS) for (const s of row.states) BY_STATE.set(s, row);

export function macJurisdictionForState(state: string): MacJurisdiction | undefined {
  const row = BY_STATE.get(state.trim().toUpperCase());
  return row ? { mac: row.mac, contractor: row.contractor, documents: [...row.documents] } : undefined;
}

/** The citations behind a state's jurisdiction row (001 for the four with pump documents). */
export function jurisdictionCitations(state: string): readonly Citation[] {
  return BY_STATE.get(state.trim().toUpperCase())?.citations ?? [PUBLIC.macMap];
}
