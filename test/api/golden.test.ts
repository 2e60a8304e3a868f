/**
 * The policy scenarios (server/policy/scenarios.ts, each written from a seed passage) through the HTTP API and the
 * CLI: what a coder sees over the wire is what the engine decided — same lines, modifiers, units and warnings.
 * The policy module is forced with facts.policyId and the payer is one no mapping knows, so the mappings stay out
 * of it; scenarios that need a mapping option (reprogrammingMeaning) are covered by the mapping tests instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type PolicyScenario } from '../../server/policy/scenarios.js';
import { startTestServer } from '../../server/testing.js';
import { Determination, type VisitFacts } from '../../server/contracts/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const overWire = SCENARIOS.filter((s) => !s.context.options?.reprogrammingMeaning && s.context.mappingMatched === (s.context.policyId !== 'cpt-default'));

function asRequestFacts(s: PolicyScenario): VisitFacts {
  const { payerId: _id, payerIdSystem: _sys, planName: _plan, typeCodes: _types, ...coverage } = s.facts.coverage;
  return {
    ...s.facts,
    coverage: { ...coverage, payerName: 'Golden Test Payer (no mapping)',
      lineOfBusiness: s.context.lineOfBusiness === 'unknown' ? coverage.lineOfBusiness : s.context.lineOfBusiness },
    ...(s.context.policyId === 'cpt-default' ? {} : { policyId: s.context.policyId }),
  };
}

function checkAgainstScenario(s: PolicyScenario, d: Determination) {
  const lines = d.lines.map((l) => `${l.code}${l.modifiers.length ? '-' + [...l.modifiers].sort().join('-') : ''}x${l.units}`).sort();
  const expected = s.expect.lines.map((l) => `${l.code}${l.modifiers?.length ? '-' + [...l.modifiers].sort().join('-') : ''}x${l.units ?? 1}`).sort();
  expect(lines, s.name).toEqual(expected);
  const warnings = d.warnings.map((w) => w.id);
  for (const id of s.expect.warnings ?? []) expect(warnings, `${s.name}: warning ${id}`).toContain(id);
  for (const id of s.expect.absentWarnings ?? []) expect(warnings, `${s.name}: no warning ${id}`).not.toContain(id);
  const checklist = d.checklist.map((c) => c.id);
  for (const id of s.expect.requiredChecklist ?? []) expect(d.checklist.find((c) => c.id === id)?.required, `${s.name}: required ${id}`).toBe(true);
  for (const id of s.expect.absentChecklist ?? []) expect(checklist, `${s.name}: no checklist ${id}`).not.toContain(id);
  for (const code of s.expect.notCovered ?? []) expect(d.notCovered.map((n) => n.code), s.name).toContain(code);
}

describe('golden scenarios through POST /api/evaluate', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  it(`covers most of the scenario table (${overWire.length} of ${SCENARIOS.length})`, () => {
    expect(overWire.length).toBeGreaterThanOrEqual(Math.floor(SCENARIOS.length * 0.8));
  });

  it.each(overWire.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const res = await fetch(`${server.url}/api/evaluate`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ facts: asRequestFacts(s) }),
    });
    expect(res.status).toBe(200);
    checkAgainstScenario(s, Determination.parse(((await res.json()) as { determination: unknown }).determination));
  });
});

describe('golden scenarios through npm run evaluate', () => {
  // one per policy module: spawning the CLI costs about a second each
  const sample = ['uuhp', 'icare-ma', 'centene-cp-mp-173', 'cms-medicare', 'cpt-default']
    .map((id) => overWire.find((s) => s.context.policyId === id)).filter((s): s is PolicyScenario => Boolean(s));
  const tmp = mkdtempSync(path.join(tmpdir(), 'prc-golden-'));

  it.each(sample.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const file = path.join(tmp, `${s.context.policyId}.json`);
    writeFileSync(file, JSON.stringify(asRequestFacts(s)));
    const out = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['server/cli/evaluate.ts', file], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--experimental-websocket' },
    });
    expect(out.status, out.stderr).toBe(0);
    checkAgainstScenario(s, Determination.parse((JSON.parse(out.stdout) as { determination: unknown }).determination));
  });
});
