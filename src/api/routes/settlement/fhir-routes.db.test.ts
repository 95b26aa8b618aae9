import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { fhirValidator } from '../../../runtime/fhir-schema.ts';
import { startTestApp, type TestApp } from '../../testing.ts';

describe(`FHIR metadata on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  it('answers anyone with an R4 CapabilityStatement as application/fhir+json', async () => {
    const res = await h.app.inject('/fhir/metadata');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      rest: [
        {
          mode: 'server',
          resource: [
            { type: 'Claim', interaction: [{ code: 'create' }] },
            { type: 'ClaimResponse' },
          ],
        },
      ],
    });
    expect(fhirValidator()('CapabilityStatement', body)).toEqual([]);
  }, 120_000);

  it('answers an unknown FHIR path with a 404 problem, not the web page', async () => {
    const res = await h.app.inject('/fhir/Patient');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
