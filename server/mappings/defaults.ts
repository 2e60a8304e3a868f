/** The product's default payer mappings (defaults.json), validated against the contract at load. */
import { z } from 'zod';
import { PayerMappingInput, type PayerMapping } from '../contracts/index';
import raw from './defaults.json';

export const DefaultMappingsFile = z.object({
  mappings: z.array(PayerMappingInput.extend({ id: z.string().regex(/^[a-z0-9-]{1,100}$/) })).min(1),
}).strict();

let parsed: (PayerMappingInput & { id: string })[] | undefined;
/** parsed once; throws at startup if the file is broken (a test guards it). Callers get their own copy. */
export function defaultMappings(): (PayerMappingInput & { id: string })[] {
  parsed ??= DefaultMappingsFile.parse(raw).mappings;
  return structuredClone(parsed);
}

/** the defaults as stored mappings (version 1), e.g. for evaluating without a store */
export function defaultMappingsAsStored(): PayerMapping[] {
  return defaultMappings().map((m) => ({ ...m, version: 1 }));
}
