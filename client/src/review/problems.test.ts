import { describe, expect, it } from 'vitest';
import type { EvaluateResponse } from '../../../server/contracts/index';
import { blocksWrite, bySeverity, collectProblems } from './problems';

const result = (over: { device?: Partial<EvaluateResponse['facts']['device']>; deviceStatus?: 'record' | 'default' | 'derived'; payer?: string; diagnoses?: string[]; warnings?: EvaluateResponse['determination']['warnings']; notices?: EvaluateResponse['recordNotices'] } = {}) => ({
  facts: {
    serviceDate: '2026-11-20', patient: {}, coverage: { payerName: over.payer, lineOfBusiness: 'commercial' },
    device: { kind: 'implanted-programmable-pump', route: 'intrathecal', ...over.device },
    services: { electronicAnalysis: true, refill: true, reprogramming: 'none' },
    performer: { role: 'physician', physicianSkillRequired: false }, drugs: [], diagnoses: over.diagnoses ?? ['G89.4'],
    separateEvaluation: { performed: false },
  },
  factSources: { 'device.kind': { status: over.deviceStatus ?? 'record' } },
  determination: { policy: { id: 'uuhp', name: 'U', version: '1', lineOfBusiness: 'commercial' }, lines: [], notCovered: [], warnings: over.warnings ?? [], checklist: [] },
  references: {}, mapping: { policyId: 'uuhp', lineOfBusiness: 'commercial', matched: true },
  recordNotices: over.notices,
}) as unknown as EvaluateResponse;

const ids = (p: { id: string }[]) => p.map((x) => x.id);

describe('problems at the top of the review', () => {
  it('a warning that repeats a notice or a gap is shown once, with both sources and the higher severity', () => {
    const cite = [{ source: 'CMS NCD 280.14' }];
    const tie = { id: 'payer-mapping-tie', severity: 'error' as const, message: 'Two payer mappings disagree', citations: cite };
    const p = collectProblems({
      result: result({ payer: 'Peach State', diagnoses: [],
        notices: [{ id: 'payer-mapping-tie', severity: 'warning', message: 'Two payer mappings disagree; an administrator must choose.' }],
        warnings: [tie, { id: 'diagnosis-missing', severity: 'warning', message: 'No ICD-10-CM', citations: cite }] }),
      readNotices: [], deviceConfirmed: false,
    });
    expect(ids(p).filter((id) => id === 'payer-mapping-tie')).toHaveLength(1);
    expect(p.find((x) => x.id === 'payer-mapping-tie')).toMatchObject({ severity: 'error', citations: cite });
    expect(ids(p)).toContain('no-diagnosis');
    expect(ids(p)).not.toContain('diagnosis-missing');
  });

  it('a complete record with a payer and a diagnosis has no problems of its own', () => {
    expect(collectProblems({ result: result({ payer: 'U of U' }), readNotices: [], deviceConfirmed: false })).toEqual([]);
  });

  it('no Device: an error that blocks Write until the pump type is confirmed', () => {
    const p = collectProblems({ result: result({ payer: 'X', deviceStatus: 'default' }), readNotices: [], deviceConfirmed: false });
    expect(ids(p)).toEqual(['no-device']);
    expect(p[0]).toMatchObject({ severity: 'error', action: { kind: 'confirm-device' } });
    expect(p[0]!.message).toContain('guess');
    expect(blocksWrite(p[0]!)).toBe(true);
    expect(collectProblems({ result: result({ payer: 'X', deviceStatus: 'default' }), readNotices: [], deviceConfirmed: true })).toEqual([]);
  });

  it('a pump type read from text asks for confirmation without blocking', () => {
    const p = collectProblems({ result: result({ payer: 'X', deviceStatus: 'derived' }), readNotices: [], deviceConfirmed: false });
    expect(ids(p)).toEqual(['device-derived']);
    expect(blocksWrite(p[0]!)).toBe(false);
  });

  it('an unreadable Coverage (500, timeout, 403) is an error distinct from "none found", with Retry when retrying can help', () => {
    const failed = collectProblems({ result: result(), readNotices: [{ part: 'Coverage', kind: 'failed', status: 500 }], deviceConfirmed: false });
    expect(ids(failed)).toEqual(['coverage-unreadable']);
    expect(failed[0]).toMatchObject({ severity: 'error', action: { kind: 'retry-read' } });
    expect(failed[0]!.message).toContain('error 500');
    expect(failed[0]!.message).not.toMatch(/no active coverage/i);
    const timeout = collectProblems({ result: result(), readNotices: [{ part: 'Coverage', kind: 'timeout' }], deviceConfirmed: false });
    expect(timeout[0]!.message).toContain('no answer in time');
    const forbidden = collectProblems({ result: result(), readNotices: [{ part: 'Coverage', kind: 'forbidden', status: 403 }], deviceConfirmed: false });
    expect(forbidden[0]!.action).toBeUndefined();
    expect(forbidden[0]!.next).toContain('grant');
  });

  it('no Coverage recorded and no diagnosis: warnings that say what to do', () => {
    const p = collectProblems({ result: result({ diagnoses: [] }), readNotices: [], deviceConfirmed: false });
    expect(ids(p)).toEqual(['no-coverage', 'no-diagnosis']);
    expect(p.every((x) => x.severity === 'warning' && !!x.next)).toBe(true);
  });

  it('a failed evaluation is an error with Retry, even before any result', () => {
    const p = collectProblems({ readNotices: [], evaluationError: { message: 'The app server failed (500).', next: 'Retry.' }, deviceConfirmed: false });
    expect(p).toEqual([expect.objectContaining({ id: 'evaluation-failed', severity: 'error', action: { kind: 'retry-evaluate', label: 'Retry' } })]);
  });

  it('record notices carry their one-click overrides; everything is sorted errors → warnings → notes, stable within', () => {
    const p = collectProblems({
      result: result({
        payer: 'X',
        warnings: [{ id: 'a-note', severity: 'info', message: 'n', citations: [] }, { id: 'w1', severity: 'warning', message: 'w', citations: [] }, { id: 'e1', severity: 'error', message: 'e', citations: [] }],
        notices: [{ id: 'stale-launch-encounter', severity: 'warning', message: 'old encounter', action: { label: 'Use 2026-11-20', overrides: { serviceDate: '2026-11-20' } } }],
      }),
      readNotices: [], deviceConfirmed: false,
    });
    expect(ids(p)).toEqual(['e1', 'stale-launch-encounter', 'w1', 'a-note']);
    expect(p[1]!.action).toEqual({ kind: 'overrides', label: 'Use 2026-11-20', overrides: { serviceDate: '2026-11-20' } });
    expect(bySeverity([{ severity: 'info' as const, n: 1 }, { severity: 'info' as const, n: 2 }]).map((x) => x.n)).toEqual([1, 2]);
  });
});
