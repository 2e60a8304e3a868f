/**
 * The plan said before the click (per vendor, from the CapabilityStatement and the granted scopes), and the id
 * linking the client does on resources the server really builds (server/fhir/drafts.ts). The write order and
 * exactly-once behaviour against the real server and sandbox are proved in test/faults/writeback.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildDrafts } from '../../../server/fhir/drafts';
import { extractVisit } from '../../../server/fhir/extract';
import { loadFixture } from '../../../server/fhir/testing';
import { parseScopes } from '../smart/scopes';
import { describePlan, linkSupportingDocument } from './adapters';
import { parseCapability, UNKNOWN_CAPABILITY } from './capability';

const cs = (types: string[], update = true) => ({
  resourceType: 'CapabilityStatement',
  rest: [{ mode: 'server', resource: types.map((type) => ({ type, interaction: [{ code: 'create' }, ...(update ? [{ code: 'update' }] : [])], conditionalCreate: true })) }],
});
const FULL = parseScopes('patient/DocumentReference.cu patient/Claim.cu patient/Provenance.c patient/*.rs');

describe('plans (said before the click)', () => {
  it('generic: note, Claim and Provenance when offered and granted; Update supersedes the earlier note', () => {
    const plan = describePlan('generic', parseCapability(cs(['DocumentReference', 'Claim', 'Provenance'])), FULL, {});
    expect(plan.steps.map((s) => s.resourceType)).toEqual(['DocumentReference', 'Claim', 'Provenance']);
    expect(plan.provenanceToEhr).toBe(true);
    expect(plan.summary).toMatch(/^Will write: DocumentReference .*Claim draft.*Provenance/);
    expect(plan.updateSummary).toMatch(/replaces the earlier one and marks the earlier note/);
  });
  it('generic: Claim stays in the worklist when not offered or not granted; no Provenance unless offered', () => {
    const plan = describePlan('generic', parseCapability(cs(['DocumentReference'])), FULL, {});
    expect(plan.summary).toContain('Claim draft kept in the billing worklist (this EHR\'s CapabilityStatement does not offer Claim create)');
    expect(plan.provenanceToEhr).toBe(false);
    expect(describePlan('generic', parseCapability(cs(['DocumentReference', 'Claim'])), parseScopes('patient/DocumentReference.c'), {}).summary)
      .toContain('did not grant the Claim write scope');
    expect(describePlan('generic', UNKNOWN_CAPABILITY, FULL, {}).steps.map((s) => s.resourceType)).toEqual(['DocumentReference']);
  });
  it('epic and oracle: the note only, no Provenance, Update in place; Epic needs the encounter', () => {
    const cap = parseCapability(cs(['DocumentReference', 'Claim', 'Provenance']));
    const epic = describePlan('epic', cap, FULL, { encounterId: 'e1' });
    expect(epic.steps.map((s) => s.resourceType)).toEqual(['DocumentReference']);
    expect(epic.summary).toBe('Will write: DocumentReference (note for signature, plain text), Claim draft kept in the billing worklist (this EHR does not accept Claim), no Provenance: this EHR does not accept one.');
    expect(epic.updateSummary).toMatch(/same note while it is unsigned/);
    expect(describePlan('epic', cap, FULL, {}).blocked).toMatch(/encounter/);
    const oracle = describePlan('oracle', cap, FULL, { fhirUser: 'Practitioner/1' });
    expect(oracle.steps.map((s) => s.resourceType)).toEqual(['DocumentReference']);
    expect(oracle.updateSummary).toMatch(/Oracle Health document update/);
    expect(describePlan('oracle', cap, parseScopes('patient/DocumentReference.c'), { fhirUser: 'Practitioner/1' }).updateSummary).toMatch(/cannot change the earlier note/);
  });
  it('nothing is planned without the DocumentReference write scope', () => {
    const plan = describePlan('generic', parseCapability(cs(['DocumentReference', 'Claim'])), parseScopes('patient/*.rs'), {});
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toMatch(/^Nothing can be written/);
  });
});

describe('linking ids into what the server built', () => {
  it('the Claim lists the note once, by identifier and by the id the EHR assigned', () => {
    const { facts, references } = extractVisit(loadFixture('pt-uuhp-commercial'), { today: '2026-11-20' });
    const built = buildDrafts({
      facts, references, acceptedLines: [], checklist: [], author: { reference: 'Practitioner/x' },
      policy: { id: 'uuhp', name: 'U of U Health Plans', version: '1', lineOfBusiness: facts.coverage.lineOfBusiness },
    }, { now: new Date('2026-11-20T10:00:00Z'), visitKey: 'a'.repeat(32), version: 1 });
    const linked = linkSupportingDocument(built.claim as never, 'doc-9') as unknown as { supportingInfo: { valueReference: { reference?: string; identifier?: unknown } }[] };
    const docs = linked.supportingInfo.filter((s) => s.valueReference.reference?.startsWith('DocumentReference/'));
    expect(docs).toHaveLength(1);
    expect(docs[0]!.valueReference.reference).toBe('DocumentReference/doc-9');
    expect(docs[0]!.valueReference.identifier).toBeDefined();
  });
});
