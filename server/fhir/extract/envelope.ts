/**
 * The Bundle envelope, validated strictly: anything that is not a FHIR R4 Bundle of read resources is a
 * BadBundleError (HTTP 400). The resources inside are not validated here; the fact readers read them leniently.
 */
import { z } from 'zod';
import { BadBundleError } from './errors.js';
import { isObj, objs, str, ResourceIndex, type Json, type Resource } from './record.js';

const BundleEnvelope = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string().optional(),
  entry: z.array(z.object({
    fullUrl: z.string().optional(),
    resource: z.looseObject({ resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'expected a FHIR resource type') }),
  }).loose()).max(2000),
}).loose();

export function readEnvelope(input: unknown): ResourceIndex {
  const parsed = BundleEnvelope.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new BadBundleError(`Not a FHIR R4 Bundle: ${details.map((d) => `${d.path}: ${d.message}`).slice(0, 3).join('; ')}`, details);
  }
  const type = parsed.data.type;
  if (type !== undefined && !['collection', 'searchset', 'transaction', 'batch', 'document'].includes(type)) {
    throw new BadBundleError(`Bundle.type "${type}" is not a bundle of read resources (use "collection" or "searchset")`,
      [{ path: 'type', message: 'expected "collection" or "searchset"' }]);
  }
  const entries = parsed.data.entry.map((e) => ({ fullUrl: e.fullUrl, resource: e.resource as Resource }));
  // A searchset may hold nested Bundles (one per search): flatten one level.
  const flat = entries.flatMap((e) => (e.resource.resourceType === 'Bundle'
    ? objs(e.resource.entry).filter((x) => isObj(x.resource) && typeof (x.resource as Json).resourceType === 'string')
      .map((x) => ({ fullUrl: str(x.fullUrl), resource: x.resource as Resource }))
    : [e]));
  return new ResourceIndex(flat);
}
