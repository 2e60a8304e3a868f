/**
 * Security headers. The app runs inside EHR frames (Epic, Oracle Health), so framing is allowed only for the
 * configured EHR origins via CSP frame-ancestors (X-Frame-Options cannot express a list, so it is off).
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { EhrProfile } from '../../launch/profiles.js';

export function securityHeaders(profiles: EhrProfile[], publicUrl: string): RequestHandler {
  const ehrOrigins = [...new Set(profiles.flatMap((p) => p.issuers.map((i) => new URL(i).origin)))];
  return helmet({
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // no 'unsafe-inline': the built pages have no inline <style>/<script>, and React's style props go
        // through the CSSOM, which style-src does not govern (test/security/headers.test.ts checks both)
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...ehrOrigins],
        frameAncestors: ["'self'", ...ehrOrigins],
        formAction: ["'self'", ...ehrOrigins],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // on a plain-http origin (the local sandbox) upgrading would break the sandbox's own form posts
        upgradeInsecureRequests: publicUrl.startsWith('https:') ? [] : null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
