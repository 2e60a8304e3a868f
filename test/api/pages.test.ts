/**
 * The launch page and the app page carry the EHR profiles as a JSON data block (no round trip before the SMART
 * redirect): the same answer as GET /api/ehr-profiles, and no profile value can close the element.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../server/testing.js';

const example = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/ehr-profiles.example.json'), 'utf8')) as { profiles: { name: string }[] };
const hostile = '</script><script>alert(1)</script> & $& $1';
const file = path.join(mkdtempSync(path.join(tmpdir(), 'prc-pages-')), 'profiles.json');
writeFileSync(file, JSON.stringify({ profiles: example.profiles.map((p, i) => (i === 0 ? { ...p, name: hostile } : p)) }));

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer({ EHR_PROFILES: file, SANDBOX: 'on' }); });
afterAll(async () => { await server?.close(); });

const block = (html: string) => /<script type="application\/json" id="prc-ehr-profiles">([^<]*)<\/script>/.exec(html)?.[1];

describe('pages with the EHR profiles', () => {
  it.each(['/launch.html', '/', '/admin'])('%s carries exactly what /api/ehr-profiles answers', async (route) => {
    const html = await (await fetch(server.url + route)).text();
    const api = await (await fetch(`${server.url}/api/ehr-profiles`)).json();
    const text = block(html);
    expect(text, 'the data block').toBeDefined();
    expect(JSON.parse(text!)).toEqual(api);
    // the hostile name is inside the block as data: one script element of its own, none opened by the value
    expect(html.match(/<script/g)?.length).toBe(html.includes('type="module"') ? 2 : 1);
    expect((JSON.parse(text!) as { profiles: { name: string }[] }).profiles.some((p) => p.name === hostile)).toBe(true);
    expect(html.indexOf('id="prc-ehr-profiles"')).toBeLessThan(html.indexOf('</head>'));
  });
});
