/** Configuration: defaults, validation with clear messages, and EHR profiles from EHR_PROFILES. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, loadEhrProfiles } from './config.js';

const example = path.resolve(import.meta.dirname, '../docs/ehr-profiles.example.json');

describe('configFromEnv', () => {
  it('defaults to port 8080, PGlite in ./data and the sandbox', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({ port: 8080, dataDir: './data', sandbox: true, adminUsers: [] });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    expect(() => configFromEnv({ PORT: 'eighty', ADMIN_TOKEN: 'short', PUBLIC_URL: 'not a url' }))
      .toThrow(/PORT[\s\S]*PUBLIC_URL|PUBLIC_URL[\s\S]*PORT/);
    expect(() => configFromEnv({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 32 characters/);
  });

  it('turns the sandbox off when real EHR profiles are configured, unless asked for', () => {
    expect(configFromEnv({ EHR_PROFILES: example }).sandbox).toBe(false);
    expect(configFromEnv({ EHR_PROFILES: example, SANDBOX: 'on' }).sandbox).toBe(true);
  });
});

describe('admin identity, listen address and framing settings', () => {
  it('refuses a relative ADMIN_USERS entry at start with one line saying how to write it', () => {
    // the README's old example: it granted admin to Practitioner/sandbox-admin on every configured EHR
    let message = '';
    try { configFromEnv({ ADMIN_USERS: 'Practitioner/sandbox-admin' }); } catch (err) { message = (err as Error).message; }
    expect(message).toMatch(/^Invalid configuration: ADMIN_USERS: "Practitioner\/sandbox-admin" is not a full fhirUser URL/);
    expect(message).toContain('http://localhost:8080/sandbox/fhir/Practitioner/sandbox-admin');
    expect(message).not.toContain('\n');
    expect(() => configFromEnv({ BILLING_USERS: 'https://ehr.example/fhir/Practitioner/1, Practitioner/2' })).toThrow(/BILLING_USERS: "Practitioner\/2"/);
    expect(() => configFromEnv({ ADMIN_USERS: 'javascript:alert(1)' })).toThrow(/ADMIN_USERS: .* is not a full fhirUser URL/);
  });

  it('accepts full fhirUser URLs', () => {
    expect(configFromEnv({ ADMIN_USERS: 'https://ehr.example/fhir/Practitioner/a-1, http://localhost:8080/sandbox/fhir/Practitioner/sandbox-admin' }).adminUsers)
      .toEqual(['https://ehr.example/fhir/Practitioner/a-1', 'http://localhost:8080/sandbox/fhir/Practitioner/sandbox-admin']);
  });

  it('HOST defaults to loopback while the sandbox runs, all interfaces otherwise; HOST overrides', () => {
    expect(configFromEnv({}).host).toBe('127.0.0.1');
    expect(configFromEnv({ EHR_PROFILES: example }).host).toBe('0.0.0.0');
    expect(configFromEnv({ HOST: '::1' }).host).toBe('::1');
    expect(() => configFromEnv({ HOST: 'a b' })).toThrow(/HOST/);
  });

  it('FRAME_ANCESTORS takes origins only', () => {
    expect(configFromEnv({ FRAME_ANCESTORS: 'https://hyperdrive.example.org, https://powerchart.example.org:8443' }).frameAncestors)
      .toEqual(['https://hyperdrive.example.org', 'https://powerchart.example.org:8443']);
    expect(() => configFromEnv({ FRAME_ANCESTORS: 'https://ehr.example.org/path' })).toThrow(/FRAME_ANCESTORS: .*scheme and host only/);
    expect(() => configFromEnv({ FRAME_ANCESTORS: '*' })).toThrow(/FRAME_ANCESTORS/);
  });
});

describe('loadEhrProfiles', () => {
  it('loads the Epic and Oracle Health example profiles beside the sandbox ones', () => {
    const profiles = loadEhrProfiles(configFromEnv({ EHR_PROFILES: example, SANDBOX: 'on' }), 'http://localhost:8080');
    expect(profiles.map((p) => p.vendor)).toEqual(['generic', 'epic', 'oracle', 'epic', 'oracle']);
    expect(profiles.flatMap((p) => p.issuers)).toContain('https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4');
  });

  it('refuses a profiles file with a bad entry, naming it', () => {
    const bad = path.resolve(import.meta.dirname, '../package.json');
    expect(() => loadEhrProfiles(configFromEnv({ EHR_PROFILES: bad }), 'http://localhost:8080')).toThrow(/EHR_PROFILES .*package\.json/);
  });
});
