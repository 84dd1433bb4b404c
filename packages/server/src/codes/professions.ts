import professions from './data/tre-g15-professions.json' with { type: 'json' };

/** Health professions (TRE_G15), as the directory and Pro Santé Connect give them. */
export interface Profession {
  code: string;
  system: string;
  display: string;
  status: string;
  /** The XDS authorSpecialty code of the profession (TRE_A02, e.g. G15_10). */
  xdsAuthorSpecialty: string | null;
}

export const PROFESSION_SYSTEM = professions.canonical;

/** TRE_G15 codes the access rules name. */
export const PROFESSION = {
  medecin: '10',
  pharmacien: '21',
  sageFemme: '50',
  infirmier: '60',
} as const;

export const PROFESSIONS: readonly Profession[] = professions.entries.map((e) => ({
  code: e.code,
  system: e.system,
  display: e.display,
  status: e.status,
  xdsAuthorSpecialty: 'xdsAuthorSpecialty' in e && typeof e.xdsAuthorSpecialty === 'string' ? e.xdsAuthorSpecialty : null,
}));

const BY_CODE: ReadonlyMap<string, Profession> = new Map(PROFESSIONS.map((p) => [p.code, p]));

/** The TRE_G15 entry of a profession code, or undefined for an unknown code. */
export const professionOf = (code: string): Profession | undefined => BY_CODE.get(code);
