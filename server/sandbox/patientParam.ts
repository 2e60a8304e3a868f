/** Searching by patient cheaply in Medplum's in-memory repository (used by the FHIR pipeline and the sandbox's own pages). */
import { getSearchParameter, Operator } from '@medplum/core';

/**
 * The direct reference parameter that `patient` stands for on this type ("subject" for Procedure, Condition,
 * Encounter …), when there is one. R4's `patient` parameter is one SearchParameter shared by ~70 types, with one
 * union expression ("… | Procedure.subject.where(resolve() is Patient) | …"); Medplum's in-memory search evaluates
 * that whole expression on every candidate (~0.5 ms each), the direct `subject` parameter costs microseconds.
 */
const directPatientParams = new Map<string, string | null>();
export function directPatientParam(type: string): string | undefined {
  if (!directPatientParams.has(type)) {
    const own = getSearchParameter(type, 'patient')?.expression?.split('|').map((e) => e.trim()).find((e) => e.startsWith(`${type}.`));
    const path = own && new RegExp(`^${type}\\.(\\w+)(?:\\.where\\(resolve\\(\\) is Patient\\))?$`).exec(own)?.[1];
    const direct = path && path !== 'patient' ? getSearchParameter(type, path) : undefined;
    const plain = direct?.expression?.split('|').map((e) => e.trim()).includes(`${type}.${path}`) && direct.type === 'reference';
    directPatientParams.set(type, plain ? path! : null);
  }
  return directPatientParams.get(type) ?? undefined;
}

/** the search filter "belongs to Patient/<id>" in its cheapest form */
export function patientFilter(type: string, patientId: string) {
  return { code: directPatientParam(type) ?? 'patient', operator: Operator.EQUALS, value: `Patient/${patientId}` };
}
