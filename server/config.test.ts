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
