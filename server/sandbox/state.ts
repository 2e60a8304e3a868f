/**
 * The authorization server's short-lived state, in memory: EHR launch contexts, pending standalone
 * authorizations (waiting on a picker), authorization codes, access tokens and refresh tokens.
 * Every handle is 32 random bytes (base64url).
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
}

export interface CodeGrant extends Grant {
  redirectUri: string;
  codeChallenge: string;
  /** set once redeemed; a second redemption revokes what the first one issued */
  redeemed?: { accessToken: string; refreshToken?: string };
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
    const item = this.items.get(key);
    if (!item) return undefined;
    if (item.expiresAt <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item.value;
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

export const LAUNCH_TTL_SECONDS = 3600;
export const PENDING_TTL_SECONDS = 600;
export const CODE_TTL_SECONDS = 60;
export const REFRESH_TTL_SECONDS = 24 * 3600;

export class AuthState {
  readonly launches: ExpiringMap<LaunchContext>;
  readonly pending: ExpiringMap<PendingAuthorization>;
  readonly codes: ExpiringMap<CodeGrant>;
  readonly accessTokens: ExpiringMap<Grant>;
  readonly refreshTokens: ExpiringMap<Grant>;

  constructor(now: () => number = Date.now) {
    this.launches = new ExpiringMap(now);
    this.pending = new ExpiringMap(now);
    this.codes = new ExpiringMap(now);
    this.accessTokens = new ExpiringMap(now);
    this.refreshTokens = new ExpiringMap(now);
  }

  createLaunch(ctx: LaunchContext): string {
    const id = randomHandle();
    this.launches.set(id, ctx, LAUNCH_TTL_SECONDS);
    return id;
  }
}
