import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    env: { CARNET_BODY_LIMIT: '2048' },
    // The foundation has no write route yet; these two exercise the shared parsing and error
    // pipeline exactly as feature routes will.
    prepare(app) {
      app.post(
        '/api/echo',
        { schema: { body: Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }) } },
        async (request) => request.body,
      );
      app.post('/fhir/R4/echo', async (request) => request.body);
      app.get('/api/crash', async () => {
        throw new Error('boom with secret detail');
      });
    },
  });
});
afterAll(() => t.close());

describe('errors outside FHIR are application/problem+json (RFC 9457)', () => {
  it('answers an unknown route with 404 naming the path', async () => {
    const res = await t.app.inject({ url: '/api/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/nothing-here' });
    expect(res.json().detail).toContain('/api/nothing-here');
  });

  it('answers a wrong method with 405 and the Allow header', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/healthz' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json().detail).toBe('DELETE is not allowed on /healthz; use GET, HEAD.');
  });

  it('answers a body over the limit with 413 and the limit', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(4000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toContain('2048 bytes');
  });

  it('answers malformed JSON with 400 saying the body is not valid JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_json' });
    expect(res.json().detail).toMatch(/not valid JSON/);
  });

  it('answers a body that breaks the schema with 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/echo', payload: { name: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/name/);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<name/>',
    });
    expect(res.statusCode).toBe(415);
  });

  it('hides the cause of an unexpected error from the client but logs it', async () => {
    const res = await t.app.inject({ url: '/api/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret detail');
    expect(t.logs.some((l) => l.msg === 'request failed')).toBe(true);
  });
});

describe('errors under /fhir/R4 are OperationOutcome', () => {
  it('answers an unknown FHIR route with 404 not-found', async () => {
    const res = await t.app.inject({ url: '/fhir/R4/Nothing/1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found' }],
    });
  });

  it('answers a wrong method with 405 not-supported', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/fhir/R4/metadata' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json().issue[0]).toMatchObject({ code: 'not-supported' });
  });

  it('answers malformed FHIR JSON with 400 structure', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/echo',
      headers: { 'content-type': 'application/fhir+json' },
      payload: '{"resourceType": "Patient",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issue[0]).toMatchObject({ code: 'structure' });
  });

  it('answers a FHIR body over the limit with 413 too-long', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/echo',
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ resourceType: 'Basic', text: 'x'.repeat(4000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().issue[0]).toMatchObject({ code: 'too-long' });
  });
});
