/** `npm run evaluate -- <file>`: a Bundle or VisitFacts → JSON; bad input → one line on stderr, exit 2. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Determination, VisitFacts } from '../../server/contracts/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixturesDir = path.join(root, 'server/sandbox/fixtures');
const tmp = mkdtempSync(path.join(tmpdir(), 'prc-cli-'));

function evaluate(file: string) {
  return spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['server/cli/evaluate.ts', file], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--experimental-websocket' },
  });
}

describe('npm run evaluate', () => {
  it('turns a sandbox FHIR Bundle into facts and a determination', () => {
    const fixture = readdirSync(fixturesDir).find((f) => f.endsWith('.json'))!;
    const out = evaluate(path.join(fixturesDir, fixture));
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout) as { facts: unknown; determination: unknown };
    VisitFacts.parse(json.facts);
    expect(Determination.parse(json.determination).policy.id).toBeTruthy();
  });

  it('evaluates VisitFacts directly', () => {
    const facts: VisitFacts = {
      serviceDate: '2026-11-20', patient: { state: 'CA' }, coverage: { payerName: 'Medicare Part B', lineOfBusiness: 'medicare' },
      device: { kind: 'implanted-programmable-pump', route: 'intrathecal' },
      services: { electronicAnalysis: true, refill: true, reprogramming: 'rate-or-dose-change' },
      performer: { role: 'physician', physicianSkillRequired: false },
      drugs: [], diagnoses: ['G89.4'], separateEvaluation: { performed: false },
    };
    const file = path.join(tmp, 'facts.json');
    writeFileSync(file, JSON.stringify(facts));
    const out = evaluate(file);
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout) as { determination: Determination };
    expect(json.determination.lines.map((l) => l.code)).toContain('62369');
  });

  it.each([
    ['missing file', path.join(tmp, 'nope.json'), /no such file/],
    ['not JSON', 'bad.json', /not valid JSON/],
    ['facts with a bad field', 'badfacts.json', /serviceDate/],
  ])('rejects a %s with one line on stderr and exit code 2', (_name, name, pattern) => {
    writeFileSync(path.join(tmp, 'bad.json'), '{ nope');
    writeFileSync(path.join(tmp, 'badfacts.json'), JSON.stringify({ serviceDate: 'soon' }));
    const out = evaluate(path.isAbsolute(name) ? name : path.join(tmp, name));
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(pattern);
  });
});
