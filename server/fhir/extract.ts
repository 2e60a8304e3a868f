/**
 * FHIR R4 Bundle → VisitFacts. The implementation lives in ./extract/ (one module per job; index.ts composes
 * extractVisit and describes how the record is read); this path stays the public entry point.
 */
export * from './extract/index.js';
