/**
 * The direct /api/evaluate path answers exactly as the Express route does: for each request below, the direct
 * answer (POST /api/evaluate) and the Express one (the same request with a query string, which the direct path
 * leaves to Express and the route ignores) have the same status, body and headers, less the request id and the date.
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestServer } from '../testing.js';
import type { RunningServer } from './app.js';
import { directEvaluate } from './evaluateDirect.js';
import { inlineEvaluator } from './evaluationThreads.js';
import { API_BODY_LIMIT } from './security.js';

const fixture = readFileSync(path.resolve(import.meta.dirname, '../sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8');
const bundleBody = JSON.stringify({ bundle: JSON.parse(fixture) });

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function post(url: string, body: Buffer | string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Answer> {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(data.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const comparable = (a: Answer) => {
  const { date: _date, 'x-request-id': id, ...headers } = a.headers;
  let body: unknown = a.body;
  try {
    body = JSON.parse(a.body);
    const error = (body as { error?: { requestId?: string; message?: string } }).error;
    if (error) {
      expect(error.requestId).toBe(id);
      delete error.requestId;
    }
  } catch { /* compared as text */ }
  return { status: a.status, headers, body };
};

let server: RunningServer;
beforeAll(async () => { server = await startTestServer(); }, 60_000);
afterAll(async () => { await server?.close(); });

describe('POST /api/evaluate, direct and through Express', () => {
  const cases: [string, Buffer | string, Record<string, string>?][] = [
    ['a sandbox Bundle', bundleBody],
    ['facts', JSON.stringify({ facts: { serviceDate: '2026-11-03', procedures: [] } })],
    ['the Bundle with a leading BOM', `\uFEFF${bundleBody}`],
    ['the Bundle with charset=UTF-8', bundleBody, { 'content-type': 'application/json; charset=UTF-8' }],
    ['invalid UTF-8 inside a string', Buffer.concat([Buffer.from('{"bundle":{"resourceType":"Bundle","type":"collection","id":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}')])],
    ['invalid JSON', '{"bundle":'],
    ['a JSON string at the top', '"bundle"'],
    ['an empty object', '{}'],
    ['a resource that is not a Bundle', JSON.stringify({ bundle: { resourceType: 'Patient', id: 'x' } })],
    ['nesting deeper than the guard allows', `{"overrides":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`],
    ['an escaped NUL in a string', '{"bundle":{"resourceType":"Bundle","type":"collection","id":"a\\u0000b"}}'],
    ['a raw NUL byte', '{"bundle":\u0000}'],
    ['overrides of the wrong type', JSON.stringify({ bundle: JSON.parse(fixture), overrides: 'all' })],
  ];
  for (const [name, body, headers] of cases) {
    it(`answers alike: ${name}`, async () => {
      const direct = await post(`${server.url}/api/evaluate`, body, headers);
      const viaExpress = await post(`${server.url}/api/evaluate?path=express`, body, headers);
      expect(comparable(direct)).toEqual(comparable(viaExpress));
      expect(direct.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
      expect(direct.headers['content-security-policy']).toBeTruthy();
    });
  }

  it('a request whose body never completes is dropped without harm to the next', async () => {
    const u = new URL(server.url);
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const sock = net.connect(Number(u.port), u.hostname, () => {
          sock.write('POST /api/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"bundle":');
          setTimeout(() => { sock.destroy(); resolve(); }, 50);
        });
        sock.on('error', reject);
      });
    }
    const after = await post(`${server.url}/api/evaluate`, bundleBody);
    expect(after.status).toBe(200);
  });

  it('keeps a well-formed X-Request-Id from a proxy, as the Express route does', async () => {
    const direct = await post(`${server.url}/api/evaluate`, '{}', { 'content-type': 'application/json', 'x-request-id': 'proxy-id-12345' });
    expect(direct.headers['x-request-id']).toBe('proxy-id-12345');
    expect(JSON.parse(direct.body).error.requestId).toBe('proxy-id-12345');
  });
});

describe('which requests the direct path takes', () => {
  const handler = directEvaluate({
    evaluator: inlineEvaluator(), mappingSource: { current: async () => [] }, log: pino({ level: 'silent' }), securityHeaders: {},
  });
  const fakeRequest = (over: { method?: string; url?: string; headers?: Record<string, string> }) => ({
    method: 'POST', url: '/api/evaluate', on: () => undefined,
    ...over, headers: { 'content-type': 'application/json', 'content-length': '2', ...over.headers },
  }) as unknown as IncomingMessage;
  const takes = (over: Parameters<typeof fakeRequest>[0]) => handler(fakeRequest(over), {} as never);

  it('takes the plain case', () => {
    expect(takes({})).toBe(true);
    expect(takes({ headers: { 'content-type': 'application/json; charset=utf-8' } })).toBe(true);
    expect(takes({ headers: { 'content-length': String(API_BODY_LIMIT) } })).toBe(true);
  });

  it('leaves everything else to Express', () => {
    expect(takes({ method: 'GET' })).toBe(false);
    expect(takes({ url: '/api/evaluate?x=1' })).toBe(false);
    expect(takes({ url: '/api/evaluate/' })).toBe(false);
    expect(takes({ url: '/api/drafts' })).toBe(false);
    expect(takes({ headers: { 'content-type': 'text/plain' } })).toBe(false);
    expect(takes({ headers: { 'content-type': 'application/json; charset=latin1' } })).toBe(false);
    expect(takes({ headers: { 'content-type': 'application/json; charset=utf8' } })).toBe(false);
    expect(takes({ headers: { 'content-encoding': 'gzip' } })).toBe(false);
    expect(takes({ headers: { 'transfer-encoding': 'chunked' } })).toBe(false);
    expect(takes({ headers: { 'content-length': '0' } })).toBe(false);
    expect(takes({ headers: { 'content-length': String(API_BODY_LIMIT + 1) } })).toBe(false);
    expect(takes({ headers: { 'content-length': 'abc' } })).toBe(false);
  });
});
