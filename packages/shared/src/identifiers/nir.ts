/**
 * The matricule of the INS (national health identifier): a NIR (social security number) or NIA,
 * 13 characters followed by a 2-digit key = 97 − (n mod 97), where Corsican département codes
 * 2A and 2B count as 19 and 18 (reference.md §3.3).
 */
export const INS_OID = {
  nir: '1.2.250.1.213.1.4.8',
  nia: '1.2.250.1.213.1.4.9',
  /** Test identities, accepted only when Carnet runs in demo mode. */
  testNir: '1.2.250.1.213.1.4.10',
  testNia: '1.2.250.1.213.1.4.11',
} as const;

const MATRICULE_BODY = /^[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}$/;

/** The key of a 13-character matricule body, or undefined when the body is malformed. */
export function nirKey(body: string): number | undefined {
  const upper = body.toUpperCase();
  if (!MATRICULE_BODY.test(upper)) return undefined;
  const numeric = upper.replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(numeric) % 97n);
}

/** A full 15-character matricule: body and key. */
export function isValidNir(matricule: string): boolean {
  if (matricule.length !== 15) return false;
  const key = nirKey(matricule.slice(0, 13));
  return key !== undefined && String(key).padStart(2, '0') === matricule.slice(13);
}

export function withNirKey(body: string): string {
  const key = nirKey(body);
  if (key === undefined) throw new RangeError('A matricule body is 13 characters: sex, year, month, place, order.');
  return `${body.toUpperCase()}${String(key).padStart(2, '0')}`;
}
