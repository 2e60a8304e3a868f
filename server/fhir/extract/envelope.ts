/**
 * The Bundle envelope. What is not a FHIR R4 Bundle of read resources at all is a BadBundleError (HTTP 400):
 * not an object, not a Bundle, `entry` not an array, a Bundle.type that is not a set of read resources.
 * Inside a valid Bundle a single bad entry never rejects the record (DESIGN.md "Reading real EHR records"):
 * - an entry without a resource, or whose resourceType is not a FHIR type name, is skipped with an `entry-skipped` notice;
 * - OperationOutcome entries (Epic puts them in searchsets, search.mode "outcome") are skipped with an info notice;
 * - nested Bundles (a searchset per search, a document inside a collection …) are flattened, up to MAX_DEPTH levels;
 * - an empty Bundle (no `entry`) is a valid, empty record; a Bundle none of whose entries holds a resource is a 400.
 * The resources themselves are not validated here; the fact readers read them leniently.
 */
import { z } from 'zod';
import { BadBundleError } from './errors.js';
import { isObj, objs, str, ResourceIndex, type Resource } from './record.js';
import type { Sources } from './sources.js';

const BundleEnvelope = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string().optional(),
  entry: z.array(z.unknown()).max(2000).optional(),
}).loose();

const READ_TYPES = ['collection', 'searchset', 'transaction', 'batch', 'document', 'batch-response', 'transaction-response'];
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
/** Nested Bundles deeper than this are skipped (with a notice), so a hostile record cannot recurse without end. */
const MAX_DEPTH = 4;
/** Resources read from one record, nested Bundles included. */
const MAX_RESOURCES = 5000;

export function readEnvelope(input: unknown, src?: Sources): ResourceIndex {
  const parsed = BundleEnvelope.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new BadBundleError(`Not a FHIR R4 Bundle: ${details.map((d) => `${d.path}: ${d.message}`).slice(0, 3).join('; ')}`, details);
  }
  const type = parsed.data.type;
  if (type !== undefined && !READ_TYPES.includes(type)) {
    throw new BadBundleError(`Bundle.type "${type}" is not a bundle of read resources (use "collection" or "searchset")`,
      [{ path: 'type', message: 'expected "collection" or "searchset"' }]);
  }
  const out: { fullUrl?: string; resource: Resource }[] = [];
  let skipped = 0;
  let outcomes = 0;
  let nested = 0;
  let tooDeep = 0;
  const walk = (entries: unknown[], depth: number) => {
    for (const e of entries) {
      if (out.length >= MAX_RESOURCES) { skipped++; continue; }
      const entry = isObj(e) ? e : {};
      const r = entry.resource;
      // a batch/transaction-response entry carries the resource in response.outcome or not at all
      if (!isObj(r) || typeof r.resourceType !== 'string' || !RESOURCE_TYPE.test(r.resourceType)) { skipped++; continue; }
      const resource = r as Resource;
      if (resource.resourceType === 'Bundle') {
        if (depth >= MAX_DEPTH) { tooDeep++; continue; }
        nested++;
        walk(objs(resource.entry), depth + 1);
        continue;
      }
      if (resource.resourceType === 'OperationOutcome') { outcomes++; continue; }
      out.push({ fullUrl: str(entry.fullUrl), resource });
    }
  };
  walk(parsed.data.entry ?? [], 1);
  if (!out.length && skipped && !outcomes && !nested) {
    // Not one resource in the whole Bundle: this is not a record with a bad entry but no record at all.
    throw new BadBundleError(`None of the Bundle's ${skipped} entr${skipped === 1 ? 'y holds' : 'ies hold'} a FHIR resource`,
      [{ path: 'entry', message: 'expected entries with a resource (an object with a resourceType)' }]);
  }
  if (src) {
    if (skipped) src.notice({ id: 'entry-skipped', severity: 'warning', message: `${skipped} entr${skipped === 1 ? 'y' : 'ies'} of the record had no readable resource and ${skipped === 1 ? 'was' : 'were'} skipped; the rest of the record was read.` });
    if (tooDeep) src.notice({ id: 'entry-skipped', severity: 'warning', message: `${tooDeep} Bundle${tooDeep === 1 ? '' : 's'} nested more than ${MAX_DEPTH} levels deep ${tooDeep === 1 ? 'was' : 'were'} skipped.` });
    if (outcomes) src.notice({ id: 'entry-skipped', severity: 'info', message: `The EHR added ${outcomes} OperationOutcome message${outcomes === 1 ? '' : 's'} to its answers (e.g. a search it could not fully run); some records may be missing.` });
    if (nested) src.notice({ id: 'nested-bundle', severity: 'info', message: `${nested} nested Bundle${nested === 1 ? ' was' : 's were'} read as part of the record.` });
  }
  return new ResourceIndex(out);
}

