/** The evaluation state of the review: result, loading, error; every overrides change re-evaluates (debounced). */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EvaluateResponse } from '../../../server/contracts/index';
import { evaluate } from '../api/evaluate';
import type { Bundle } from '../fhir/types';
import { Evaluator } from './evaluator';
import type { Overrides } from './overrides';

export interface EvaluationState { result?: EvaluateResponse; loading: boolean; error?: unknown }

export function useEvaluation(bundle: Bundle, overrides: Overrides): EvaluationState & { retry(): void } {
  const [state, setState] = useState<EvaluationState>({ loading: true });
  const evaluator = useMemo(() => new Evaluator<Overrides, EvaluateResponse>(
    (o, signal) => evaluate(bundle, o, { signal }),
    {
      onLoading: (loading) => setState((s) => ({ ...s, loading })),
      onResult: (result) => setState({ result, loading: false }),
      onError: (error) => setState((s) => ({ ...s, error, loading: false })),
    },
  ), [bundle]);
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
