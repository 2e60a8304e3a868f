/** The sandbox's FHIR bases (one per vendor mode; Oracle's carries a tenant) and the URLs built from the public URL. */
import { epicMode } from './modes/epic.js';
import { genericMode } from './modes/generic.js';
import { DEFAULT_TENANT, oracleMode, TENANT_PATTERN } from './modes/oracle.js';
import type { ModeId, VendorMode } from './modes/types.js';

export const MODES: Record<ModeId, VendorMode> = { generic: genericMode, epic: epicMode, oracle: oracleMode };

export interface FhirBase {
  mode: VendorMode;
  /** the FHIR base URL = the `iss` = the `aud` */
  url: string;
  tenant?: string;
}

export class SandboxUrls {
  /** e.g. "http://localhost:8080" (no trailing slash) */
  readonly publicUrl: string;
  /** absolute URL of the sandbox mount, e.g. "http://localhost:8080/sandbox" */
  readonly sandbox: string;
  /** root-relative path of the sandbox mount (for forms and links), e.g. "/sandbox" */
  readonly sandboxPath: string;

  constructor(publicUrl: string) {
    this.publicUrl = publicUrl.replace(/\/+$/, '');
    this.sandbox = `${this.publicUrl}/sandbox`;
    this.sandboxPath = `${new URL(this.publicUrl).pathname.replace(/\/+$/, '')}/sandbox`;
  }

  base(mode: ModeId, tenant: string = DEFAULT_TENANT): FhirBase {
    if (mode === 'epic') return { mode: epicMode, url: `${this.sandbox}/epic/fhir` };
    if (mode === 'oracle') return { mode: oracleMode, url: `${this.sandbox}/oracle/${tenant.toLowerCase()}/fhir`, tenant: tenant.toLowerCase() };
    return { mode: genericMode, url: `${this.sandbox}/fhir` };
  }

  /** The FHIR base a URL (an `aud`) names, or undefined when it is none of the sandbox's. */
  resolve(url: string | undefined): FhirBase | undefined {
    if (!url) return undefined;
    const u = url.replace(/\/+$/, '');
    if (u === `${this.sandbox}/fhir`) return this.base('generic');
    if (u === `${this.sandbox}/epic/fhir`) return this.base('epic');
    const m = /^\/oracle\/([^/]+)\/fhir$/.exec(u.startsWith(this.sandbox) ? u.slice(this.sandbox.length) : '');
    if (m && TENANT_PATTERN.test(m[1]!) && m[1] === m[1]!.toLowerCase()) return this.base('oracle', m[1]!);
    return undefined;
  }

  get authorize(): string {
    return `${this.sandbox}/auth/authorize`;
  }
  get token(): string {
    return `${this.sandbox}/auth/token`;
  }
  get jwks(): string {
    return `${this.sandbox}/.well-known/jwks.json`;
  }
  get style(): string {
    return `${this.sandbox}/smart-style.json`;
  }
  /** the redirect URIs registered for the app's client id */
  get redirectUris(): string[] {
    return [`${this.publicUrl}/`, `${this.publicUrl}/index.html`, `${this.publicUrl}/admin`, `${this.publicUrl}/admin/`];
  }
  launchUrl(base: FhirBase, launch: string): string {
    const u = new URL(`${this.publicUrl}/launch.html`);
    u.searchParams.set('iss', base.url);
    u.searchParams.set('launch', launch);
    return u.toString();
  }
}
