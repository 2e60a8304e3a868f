/**
 * A readable page instead of the browser's broken-frame icon when an EHR that is not allowed to embed the app
 * (CSP frame-ancestors) frames the launch page. The launch request of a frame names its parent in Referer (the
 * origin, under the default referrer policy) and says `Sec-Fetch-Dest: iframe`; when that origin is not among the
 * frame ancestors the response already carries, the page says which origin to add. The page is static text (no
 * script, no form, no data), so it may render in any frame without a clickjacking risk.
 * Server-side; registered for GET /launch.html after the security headers.
 */
import type { Request, RequestHandler, Response } from 'express';

/** The sources of the frame-ancestors directive of a CSP header value (empty when there is none). */
export function frameAncestorsOf(csp: string | undefined): string[] {
  const d = (csp ?? '').split(';').map((x) => x.trim()).find((x) => /^frame-ancestors\s/i.test(x));
  return d ? d.split(/\s+/).slice(1) : [];
}

/** Whether `origin` may frame a page served from `selfOrigin` under these frame-ancestors sources. */
export function ancestorAllowed(origin: string, selfOrigin: string, sources: readonly string[]): boolean {
  if (sources.length === 0) return true; // no directive: framing is not restricted by CSP
  for (const s of sources) {
    if (s === '*') return true;
    if (s === "'none'") return false;
    if (s === "'self'" && origin === selfOrigin) return true;
    if (s.replace(/\/+$/, '') === origin) return true;
    const wild = /^(https?):\/\/\*\.(.+)$/.exec(s);
    if (wild) {
      try {
        const u = new URL(origin);
        if (u.protocol === `${wild[1]}:` && u.host.endsWith(`.${wild[2]}`)) return true;
      } catch { /* not an origin */ }
    }
  }
  return false;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function refusedFramePage(origin: string): string {
  const o = escapeHtml(origin);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pump Refill Coder — this EHR may not embed the app</title></head><body><main data-testid="frame-refused" class="error">
<h1>Pump Refill Coder</h1><h2>This EHR is not allowed to embed the app</h2>
<p data-testid="frame-refused-origin">The page framing Pump Refill Coder is on <code>${o}</code>, which is not in the app's list of EHRs allowed to embed it, so the browser would refuse to show the app here.</p>
<p class="next">Ask the app's administrator to add <code>${o}</code> to the <code>FRAME_ANCESTORS</code> setting (or to the issuers of an EHR profile), then relaunch from the patient's chart. Nothing was sent to the EHR.</p>
</main></body></html>`;
}

function parentOrigin(req: Request): string | undefined {
  if (req.get('sec-fetch-dest') !== 'iframe') return undefined;
  const ref = req.get('referer');
  if (!ref) return undefined;
  try { return new URL(ref).origin; } catch { return undefined; }
}

export function frameGuard(selfOrigin: string): RequestHandler {
  return (req: Request, res: Response, next) => {
    const origin = parentOrigin(req);
    if (!origin || origin === 'null') { next(); return; }
    const csp = res.getHeader('content-security-policy');
    const sources = frameAncestorsOf(Array.isArray(csp) ? csp.join(';') : csp === undefined ? undefined : String(csp));
    if (ancestorAllowed(origin, selfOrigin, sources)) { next(); return; }
    res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors *; base-uri 'none'; form-action 'none'");
    res.set('Cache-Control', 'no-store');
    res.status(403).type('html').send(refusedFramePage(origin));
  };
}
