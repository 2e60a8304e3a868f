/** The evaluation state of the review: result, loading, error; every overrides change re-evaluates (debounced). */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EvaluateResponse } from '../../../server/contracts/index';
import { evaluate } from '../api/evaluate';
import type { Bundle } from '../fhir/types';
import { Evaluator } from './evaluator';
import type { Overrides } from './overrides';
import type { FirstEvaluation } from './loadVisit';

export interface EvaluationState { result?: EvaluateResponse; loading: boolean; error?: unknown }

/** Evaluates `o`; the evaluation sent early is taken up instead, once, when it was sent with the same overrides. */
export function runTakingUp(bundle: Bundle, sentEarly: FirstEvaluation | undefined, send = evaluate) {
  let early = sentEarly;
  return (o: Overrides, signal: AbortSignal): Promise<EvaluateResponse> => {
    const taken = early;
    early = undefined;
    return taken && JSON.stringify(taken.overrides) === JSON.stringify(o) ? taken.result : send(bundle, o, { signal });
  };
}

/** `sentEarly`: an evaluation already sent for this bundle (loadVisit.ts); taken up once, when the overrides are the same */
export function useEvaluation(bundle: Bundle, overrides: Overrides, sentEarly?: FirstEvaluation): EvaluationState & { retry(): void } {
  const [state, setState] = useState<EvaluationState>({ loading: true });
  const evaluator = useMemo(() => new Evaluator<Overrides, EvaluateResponse>(runTakingUp(bundle, sentEarly), {
    onLoading: (loading) => setState((s) => ({ ...s, loading })),
    onResult: (result) => setState({ result, loading: false }),
    onError: (error) => setState((s) => ({ ...s, error, loading: false })),
  }), [bundle, sentEarly]);
  const latest = useRef(overrides);
  latest.current = overrides;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; void evaluator.now(overrides); } else evaluator.request(overrides);
  }, [evaluator, overrides]);
  useEffect(() => () => evaluator.dispose(), [evaluator]);
  const retry = useCallback(() => {
    setState((s) => ({ ...s, error: undefined }));
    void evaluator.now(latest.current);
  }, [evaluator]);
  return { ...state, retry };
}
