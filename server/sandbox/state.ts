/**
 * The authorization server's short-lived state, in memory: EHR launch contexts (single-use, 5 minutes), pending
 * standalone authorizations (waiting on a picker), authorization codes, access tokens, refresh tokens, token
 * families and the sandbox home page's sign-in sessions. Every handle is 32 random bytes (base64url).
 *
 * Token families: every token issued from one authorization code (the code's access and refresh token, and all
 * tokens refreshed from them) shares a family id. A replayed code, the reuse of a rotated refresh token or a
 * revocation revokes the whole family, descendants included (OAuth 2.0 Security BCP §4.14).
 */
import { randomBytes } from 'node:crypto';

export function randomHandle(): string {
  return randomBytes(32).toString('base64url');
}

export interface LaunchContext {
  patientId: string;
  encounterId?: string;
  userId: string;
  needPatientBanner: boolean;
  /** the FHIR base this launch was made for (the `iss`) */
  base: string;
  /** resource types the patient withheld at this launch ((g)(10) limited scope grant): their scopes are not granted */
  deniedTypes?: string[];
}

/** What a code, an access token and a refresh token carry. */
export interface Grant {
  clientId: string;
  scopes: string[];
  patientId?: string;
  encounterId?: string;
  userId: string;
  needPatientBanner: boolean;
  base: string;
  /** the token family (one per authorization code) */
  familyId: string;
}

export interface RefreshRecord {
  grant: Grant;
  /** set when the token was exchanged: a second use revokes the family */
  used: boolean;
}

export interface SandboxSession {
  userId: string;
}

export interface CodeGrant extends Grant {
  redirectUri: string;
  codeChallenge: string;
  /** set once redeemed; a second redemption revokes the family */
  redeemed?: boolean;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  base: string;
  codeChallenge: string;
}

export interface PendingAuthorization {
  request: AuthorizeRequest;
  kind: 'patient' | 'user';
}

class ExpiringMap<V> {
  private readonly items = new Map<string, { value: V; expiresAt: number }>();
  constructor(private readonly now: () => number) {}
  set(key: string, value: V, ttlSeconds: number): void {
    this.sweep();
    this.items.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }
  get(key: string): V | undefined {
    return this.entry(key)?.value;
  }
  /** the value with its expiry (ms since the epoch) */
  entry(key: string): { value: V; expiresAt: number } | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (item.expiresAt <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }
  /** gets and removes (single use) */
  take(key: string): V | undefined {
    const value = this.get(key);
    this.items.delete(key);
    return value;
  }
  delete(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
  private sweep(): void {
    if (this.items.size < 1000) return;
    const now = this.now();
    for (const [k, v] of this.items) if (v.expiresAt <= now) this.items.delete(k);
  }
}

export const LAUNCH_TTL_SECONDS = 300;
export const PENDING_TTL_SECONDS = 600;
export const CODE_TTL_SECONDS = 60;
export const REFRESH_TTL_SECONDS = 24 * 3600;
export const SESSION_TTL_SECONDS = 8 * 3600;
/** a family outlives its last refresh token by the longest access-token lifetime */
const FAMILY_TTL_SECONDS = REFRESH_TTL_SECONDS + 3600;

export class AuthState {
  readonly launches: ExpiringMap<LaunchContext>;
  readonly pending: ExpiringMap<PendingAuthorization>;
  readonly codes: ExpiringMap<CodeGrant>;
  readonly accessTokens: ExpiringMap<Grant>;
  readonly refreshTokens: ExpiringMap<RefreshRecord>;
  /** live families (a revoked family stays here as revoked until it would have expired) */
  readonly families: ExpiringMap<{ revoked: boolean }>;
  readonly sessions: ExpiringMap<SandboxSession>;

  constructor(readonly now: () => number = Date.now) {
    this.launches = new ExpiringMap(now);
    this.pending = new ExpiringMap(now);
    this.codes = new ExpiringMap(now);
    this.accessTokens = new ExpiringMap(now);
    this.refreshTokens = new ExpiringMap(now);
    this.families = new ExpiringMap(now);
    this.sessions = new ExpiringMap(now);
  }

  createLaunch(ctx: LaunchContext): string {
    const id = randomHandle();
    this.launches.set(id, ctx, LAUNCH_TTL_SECONDS);
    return id;
  }

  /** The launch context, removed: a launch handle works once. */
  takeLaunch(id: string): LaunchContext | undefined {
    return this.launches.take(id);
  }

  newFamily(): string {
    const id = randomHandle();
    this.families.set(id, { revoked: false }, FAMILY_TTL_SECONDS);
    return id;
  }

  /** keeps a family alive as long as its newest refresh token */
  touchFamily(id: string): void {
    const f = this.families.get(id);
    if (f && !f.revoked) this.families.set(id, f, FAMILY_TTL_SECONDS);
  }

  revokeFamily(id: string): void {
    this.families.set(id, { revoked: true }, FAMILY_TTL_SECONDS);
  }

  isLive(grant: Grant): boolean {
    const f = this.families.get(grant.familyId);
    return !!f && !f.revoked;
  }

  /** The grant of a live access token (known, unexpired, family not revoked). */
  activeAccess(token: string): { grant: Grant; expiresAt: number } | undefined {
    const e = this.accessTokens.entry(token);
    return e && this.isLive(e.value) ? { grant: e.value, expiresAt: e.expiresAt } : undefined;
  }
}
