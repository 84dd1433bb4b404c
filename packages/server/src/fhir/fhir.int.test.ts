import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { CARNET_BASE_URL: 'https://carnet.test' } });
});
afterAll(() => t.close());

it('publishes a CapabilityStatement for FHIR R4 at the public base address', async () => {
  const res = await t.app.inject({ url: '/fhir/R4/metadata' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  expect(res.json()).toMatchObject({
    resourceType: 'CapabilityStatement',
    fhirVersion: '4.0.1',
    kind: 'instance',
    implementation: { url: 'https://carnet.test/fhir/R4' },
    rest: [{ mode: 'server' }],
  });
});
