export { resolveMapping, mappingMatches, type ResolveOptions } from './resolve';
export { nameMatches, globMatchNormalized, normalizeName, isGlob } from './glob';
export { coverageMatchInputFromFacts, coverageMatchInputFromFhir, resolvePolicyContext, SOPT_SYSTEMS, NAIC_SYSTEM } from './input';
export { defaultMappings, defaultMappingsAsStored, DefaultMappingsFile } from './defaults';
export { createMappingSource, type MappingSource } from './source';
export { applyMappingTie, mappingTieProblem, mappingTieMessage, MAPPING_TIE_ID } from './tie';
