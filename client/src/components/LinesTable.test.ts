import { describe, expect, it } from 'vitest';
import { splitRationale } from './LinesTable';

describe('a rationale in one sentence, the rest behind "Why?"', () => {
  it('splits at the first sentence end before a capital', () => {
    expect(splitRationale('Electronic analysis with reprogramming and refill: 62370. The skill of a physician was documented. See CPT.'))
      .toEqual(['Electronic analysis with reprogramming and refill: 62370.', 'The skill of a physician was documented. See CPT.']);
  });
  it('keeps abbreviations and short or single sentences whole', () => {
    expect(splitRationale('Billed per 10 mg, e.g. 200 mg is 20 units')).toEqual(['Billed per 10 mg, e.g. 200 mg is 20 units', '']);
    expect(splitRationale('Refill only. No analysis.')).toEqual(['Refill only. No analysis.', '']);
  });
});
