import { describe, expect, it } from 'vitest';
import { evaluateErrorToWords, readNoticeToWords, writeErrorToWords, sessionExpired, WORK_KEPT, WORK_NOT_KEPT } from './errors';
import { ApiCallError, ApiUnreachableError } from './api/http';
import { FhirHttpError, FhirTimeoutError } from './fhir/port';
import { WriteUncertainError, WrongPatientError } from './writeback/types';

describe('errors in words', () => {
  it('read notices say what is missing and that defaults stand in', () => {
    expect(readNoticeToWords({ part: 'Coverage', kind: 'forbidden', status: 403 })).toBe('The EHR refused to share the insurance coverage (403: scope not granted); facts that depend on it use defaults — please confirm them below.');
    expect(readNoticeToWords({ part: 'Device', kind: 'timeout' })).toMatch(/within 15 seconds/);
    expect(readNoticeToWords({ part: 'Condition', kind: 'failed', status: 500 })).toMatch(/error 500/);
  });
  it('write errors say what to do next', () => {
    expect(writeErrorToWords(new FhirHttpError(401, undefined, 'u'))).toEqual(sessionExpired(false));
    expect(writeErrorToWords(new FhirHttpError(401, undefined, 'u')).next).toContain(WORK_NOT_KEPT);
    expect(writeErrorToWords(new FhirHttpError(401, undefined, 'u'), { workKept: true }).next).toContain(WORK_KEPT);
    expect(writeErrorToWords(new FhirHttpError(400, 'subject: required', 'u')).message).toBe('The EHR rejected the resource: subject: required (400).');
    expect(writeErrorToWords(new FhirTimeoutError('u')).next).toBe('Nothing was written twice; you can retry.');
    expect(writeErrorToWords(new ApiUnreachableError(false)).next).toBe('Nothing was written twice; you can retry.');
    expect(writeErrorToWords(new ApiCallError(401, 'unauthenticated', 'x')).next).toMatch(/Relaunch/);
    expect(writeErrorToWords(new WrongPatientError()).message).toMatch(/not for the patient of this launch/);
    expect(writeErrorToWords(new WriteUncertainError('DocumentReference')).next).toMatch(/Check the patient's notes/);
  });
  it('evaluation errors keep the server message for bad input', () => {
    expect(evaluateErrorToWords(new ApiCallError(400, 'invalid', 'separateEvaluation.code: too long')).message).toContain('separateEvaluation.code: too long');
    expect(evaluateErrorToWords(new ApiUnreachableError(true)).message).toBe('The app server did not answer in time.');
  });
});
