/**
 * Payer/plan name patterns, matched by hand — never through a RegExp built from admin input.
 *
 * - No `*` or `?` in the pattern: case-insensitive SUBSTRING ("Healthy U" matches "Healthy U Medicaid").
 * - With `*` (any run of characters, also none) or `?` (exactly one character): a case-insensitive glob
 *   over the WHOLE name ("U of U*" matches "U of U Health Plans", not "The U of U…").
 * - Every other character is literal: ".*", "(a+)+$", "[" match only those characters.
 * Runs of whitespace count as one space on both sides; leading/trailing whitespace is ignored.
 */

export const normalizeName = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

export const isGlob = (pattern: string): boolean => pattern.includes('*') || pattern.includes('?');

/**
 * Wildcard match in O(|pattern| × |text|) worst case with a single backtrack point (the last `*`),
 * so no pattern can make it blow up (unlike a backtracking regex engine).
 * Both arguments must already be normalized.
 */
export function globMatchNormalized(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  // iterate over UTF-16 code units; names are BMP text in practice, and `?` then matches one unit
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starT = t;
    } else if (pc !== undefined && (pc === '?' || pc === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** case-insensitive: substring without wildcards, whole-name glob with them */
export function nameMatches(pattern: string, name: string): boolean {
  const p = normalizeName(pattern);
  const n = normalizeName(name);
  if (p.length === 0) return false;
  return isGlob(p) ? globMatchNormalized(p, n) : n.includes(p);
}
