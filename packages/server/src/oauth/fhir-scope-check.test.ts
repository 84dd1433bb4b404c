import { describe, expect, it } from 'vitest';
import { interactionsOf } from './fhir-scope-check.ts';

describe('interactionsOf', () => {
  it('names the SMART letter of each FHIR interaction', () => {
    expect(interactionsOf('GET', '/DocumentReference/abc', undefined)).toEqual([{ resourceType: 'DocumentReference', letter: 'r' }]);
    expect(interactionsOf('GET', '/DocumentReference/abc/_history/2', undefined)).toEqual([{ resourceType: 'DocumentReference', letter: 'r' }]);
    expect(interactionsOf('GET', '/DocumentReference?patient=x', undefined)).toEqual([{ resourceType: 'DocumentReference', letter: 's' }]);
    expect(interactionsOf('POST', '/DocumentReference/_search', undefined)).toEqual([{ resourceType: 'DocumentReference', letter: 's' }]);
    expect(interactionsOf('POST', '/List', undefined)).toEqual([{ resourceType: 'List', letter: 'c' }]);
    expect(interactionsOf('PATCH', '/DocumentReference/abc', undefined)).toEqual([{ resourceType: 'DocumentReference', letter: 'u' }]);
    expect(interactionsOf('DELETE', '/List/abc', undefined)).toEqual([{ resourceType: 'List', letter: 'd' }]);
    expect(interactionsOf('GET', '/metadata', undefined)).toEqual([]);
  });

  it('reads a Bundle posted to the base as the interactions of its entries', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'List' } },
        { request: { method: 'POST', url: 'DocumentReference' } },
        { request: { method: 'post', url: 'Binary' } },
        { request: { method: 'GET', url: 'DocumentReference?patient=x' } },
        { request: {} },
      ],
    };
    expect(interactionsOf('POST', '/', bundle)).toEqual([
      { resourceType: 'List', letter: 'c' },
      { resourceType: 'DocumentReference', letter: 'c' },
      { resourceType: 'Binary', letter: 'c' },
      { resourceType: 'DocumentReference', letter: 's' },
    ]);
  });
});
