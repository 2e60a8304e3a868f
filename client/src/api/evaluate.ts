/** POST /api/evaluate: the record (a collection Bundle) plus the clinician's corrections → the determination. */
import type { EvaluateResponse } from '../../../server/contracts/index';
import type { Bundle } from '../fhir/types';
import { mark } from '../metrics';
import { apiPost, ApiCallError, type ApiOptions } from './http';

export type Overrides = Record<string, unknown>;

export async function evaluate(bundle: Bundle, overrides: Overrides | undefined, opts: ApiOptions = {}): Promise<EvaluateResponse> {
  const schemas = import('./schemas'); // loads while the request is in flight
  const res = await apiPost<unknown>('/api/evaluate', overrides && Object.keys(overrides).length ? { bundle, overrides } : { bundle }, opts);
  mark('evaluated');
  const parsed = (await schemas).EvaluateResponse.safeParse(res.body);
  mark('parsed');
  if (!parsed.success) throw new ApiCallError(502, 'bad-response', 'the app server sent a determination the app does not understand');
  return parsed.data;
}
