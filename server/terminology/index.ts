/**
 * The one code table and drug recognition, shared by the policy engine, the FHIR extraction and the Claim
 * draft (DESIGN.md "Drug lines"): code systems, CPT pump codes, HCPCS drug codes with unit sizes and dates,
 * ingredient recognition, strength parsing and billing-unit arithmetic.
 */
export * from './systems.js';
export * from './codes.js';
export * from './drugs.js';
export * from './strength.js';
export * from './units.js';
