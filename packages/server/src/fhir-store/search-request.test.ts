import { describe, expect, it } from 'vitest';
import { CarnetError } from '../errors.ts';
import { parseCondition, parseSearchRequest } from './search-request.ts';

const parse = (query: string) => parseSearchRequest('DocumentReference', new URLSearchParams(query));
const fieldOfRefusal = (query: string) => {
  try {
    parse(query);
  } catch (error) {
    if (error instanceof CarnetError && error.status === 400) return error.field;
    throw error;
  }
  return 'accepted';
};

describe('parseSearchRequest', () => {
  it('reads tokens with their escapes: system|code, |code, system| and alternatives', () => {
    const [filter] = parse('category=urn:a|1,|2,urn:b|,c\\,d,e\\|f').filters;
    expect(filter).toMatchObject({ kind: 'token', not: false, values: [{ system: 'urn:a', code: '1' }, { system: '', code: '2' }, { system: 'urn:b' }, { code: 'c,d' }, { code: 'e|f' }] });
  });

  it('reads strings normalised unless exact, and dates with their prefix', () => {
    expect(parse('description=Écho').filters[0]).toMatchObject({ kind: 'string', match: 'start', values: ['echo'] });
    expect(parse('description:exact=Écho').filters[0]).toMatchObject({ kind: 'string', match: 'exact', values: ['Écho'] });
    expect(parse('date=ge2024-03').filters[0]).toMatchObject({ kind: 'date', values: [{ prefix: 'ge', range: { lo: '2024-03-01T00:00:00.000Z' } }] });
  });

  it('keeps _count within the page limit, and asks for the total alone with _summary=count', () => {
    expect(parse('').count).toBe(20);
    expect(parse('_count=1000').count).toBe(100);
    expect(parse('_summary=count')).toMatchObject({ count: 0, total: true });
  });

  it('refuses unknown parameters, modifiers and values, naming them', () => {
    expect(fieldOfRefusal('colour=blue')).toBe('colour');
    expect(fieldOfRefusal('category:below=1')).toBe('category:below');
    expect(fieldOfRefusal('category=')).toBe('category');
    expect(fieldOfRefusal('subject=Patient/a/b/c!')).toBe('subject');
    expect(fieldOfRefusal('subject:Observation=1')).toBe('subject:Observation');
    expect(fieldOfRefusal('status:missing=maybe')).toBe('status:missing');
    expect(fieldOfRefusal('_elements=id')).toBe('_elements');
    expect(fieldOfRefusal('_total=some')).toBe('_total');
    expect(fieldOfRefusal('_include=List:item')).toBe('_include');
    expect(fieldOfRefusal('_format=json&_pretty=true')).toBe('accepted');
  });

  it('takes only filters as an If-None-Exist condition', () => {
    expect(parseCondition('DocumentReference', 'identifier=urn:x|1')).toHaveLength(1);
    expect(() => parseCondition('DocumentReference', '_count=1')).toThrow(CarnetError);
    expect(() => parseCondition('DocumentReference', '')).toThrow(CarnetError);
  });
});
