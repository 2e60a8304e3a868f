/**
 * Cross-site request defences for the sandbox's state-changing pages and endpoints:
 * - a same-origin check (Sec-Fetch-Site and Origin, as browsers send them; requests without either, such as
 *   tests' own HTTP clients, pass this check but still need the form token);
 * - form tokens: an HMAC over the session id and an expiry, with a per-sandbox secret (no server state).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/**
 * Is the request from the sandbox's own origin (or from a client that is not a browser)?
 * `Origin: null` (what Chromium sends for a same-origin form post under `Referrer-Policy: no-referrer`, and also
 * what a sandboxed frame sends) decides nothing: the form token and the SameSite=Strict session cookie still do.
 */
export function sameOrigin(req: Request, publicOrigin: string): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin !== undefined && origin !== 'null' && origin !== publicOrigin) return false;
  return true;
}

const TOKEN_TTL_MS = 2 * 3600 * 1000;

export class FormTokens {
  private readonly secret = randomBytes(32);
  constructor(private readonly now: () => number = Date.now) {}

  private mac(sessionId: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${sessionId}|${exp}`).digest('base64url');
  }

  /** a token for forms shown to this session ('' before sign-in) */
  issue(sessionId = ''): string {
    const exp = this.now() + TOKEN_TTL_MS;
    return `${exp}.${this.mac(sessionId, exp)}`;
  }

  verify(token: unknown, sessionId = ''): boolean {
    if (typeof token !== 'string') return false;
    const m = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return false;
    const exp = Number(m[1]);
    if (!(exp > this.now())) return false;
    const a = Buffer.from(m[2]!);
    const b = Buffer.from(this.mac(sessionId, exp));
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
