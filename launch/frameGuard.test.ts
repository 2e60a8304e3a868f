import { describe, expect, it } from 'vitest';
import { ancestorAllowed, frameAncestorsOf, refusedFramePage } from './frameGuard';

describe('refused frame ancestors get a readable page', () => {
  const csp = "default-src 'self'; frame-ancestors 'self' https://ehr.example https://*.cerner.com; object-src 'none'";
  it('reads the frame-ancestors sources of the response\'s CSP', () => {
    expect(frameAncestorsOf(csp)).toEqual(["'self'", 'https://ehr.example', 'https://*.cerner.com']);
    expect(frameAncestorsOf("default-src 'self'")).toEqual([]);
    expect(frameAncestorsOf(undefined)).toEqual([]);
  });
  it('matches an origin the way the browser does: self, exact origins, *.host wildcards, none', () => {
    const sources = frameAncestorsOf(csp);
    expect(ancestorAllowed('https://app.example', 'https://app.example', sources)).toBe(true);
    expect(ancestorAllowed('https://ehr.example', 'https://app.example', sources)).toBe(true);
    expect(ancestorAllowed('https://fhir-ehr.cerner.com', 'https://app.example', sources)).toBe(true);
    expect(ancestorAllowed('http://fhir-ehr.cerner.com', 'https://app.example', sources)).toBe(false);
    expect(ancestorAllowed('https://evil.example', 'https://app.example', sources)).toBe(false);
    expect(ancestorAllowed('https://evil.example', 'https://app.example', ["'none'"])).toBe(false);
    expect(ancestorAllowed('https://any.example', 'https://app.example', [])).toBe(true);
  });
  it('names the origin to add, escaped, and carries no script', () => {
    const html = refusedFramePage('https://ehr.example"><script>x</script>');
    expect(html).toContain('FRAME_ANCESTORS');
    expect(html).not.toContain('<script>');
    expect(refusedFramePage('https://ehr.example')).toContain('<code>https://ehr.example</code>');
  });
});
