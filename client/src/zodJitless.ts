/**
 * zod probes `new Function('')` to decide whether to JIT its object parsers; under the app's CSP (no
 * 'unsafe-eval') that probe is blocked and reported as a CSP violation on every page. Turn the JIT off before
 * any schema runs (imported first by the chunks that bring zod: api/schemas.ts, admin/AdminApp.tsx). Validation is fast enough without it.
 */
import { z } from 'zod';

z.config({ jitless: true });
