import categories from './data/mes-document-categories.json' with { type: 'json' };
import typeCodes from './data/jdv-j07-xds-typecode.json' with { type: 'json' };

/**
 * Document types (JDV_J07 typeCode) and what follows from them: the XDS classCode (ASS_X04, never
 * asked of the sender) and the patient-facing category of Mon espace santé. Data from
 * `data/*.json`, copied from shared/domain/codes (see its README for sources and what is proposed).
 */
export interface DocumentType {
  code: string;
  system: string;
  display: string;
  classCode: string;
  classSystem: string;
  classDisplay: string;
}

/** The code system of TRE_A03 (document classes); the signature class has its own (TRE_A10). */
export const CLASS_CODE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';

/** The category the patient's document list shows when no rule gives one ("Autres documents"). */
export const FALLBACK_PATIENT_CATEGORY = 'AUTR_DOC';

/** The code system of the patient categories (a local name for the MES GraphQL enum). */
export const PATIENT_CATEGORY_SYSTEM = 'urn:mes:graphql:Category';

const TYPES: ReadonlyMap<string, DocumentType> = new Map(
  typeCodes.entries.map((e) => [
    e.code,
    {
      code: e.code,
      system: e.system,
      display: e.display,
      classCode: e.classCode,
      classSystem: 'classSystem' in e && typeof e.classSystem === 'string' ? e.classSystem : CLASS_CODE_SYSTEM,
      classDisplay: e.classDisplay,
    },
  ]),
);

/** Every known document type (JDV_J07), in the order of the published list. */
export const DOCUMENT_TYPES: readonly DocumentType[] = [...TYPES.values()];

/** The JDV_J07 entry of a typeCode; undefined for a code outside the list. */
export const documentTypeOf = (typeCode: string): DocumentType | undefined => TYPES.get(typeCode);

/** The classCode of a typeCode (ASS_X04), or undefined when the typeCode is unknown. */
export const classCodeOf = (typeCode: string): string | undefined => TYPES.get(typeCode)?.classCode;

const TYPES_BY_CLASS: ReadonlyMap<string, readonly string[]> = DOCUMENT_TYPES.reduce((byClass, type) => {
  byClass.set(type.classCode, [...(byClass.get(type.classCode) ?? []), type.code]);
  return byClass;
}, new Map<string, string[]>());

/** The known typeCodes of a classCode (empty for an unknown class). */
export const typeCodesOfClass = (classCode: string): readonly string[] => TYPES_BY_CLASS.get(classCode) ?? [];

const CATEGORY_BY_TYPE: ReadonlyMap<string, string | null> = new Map(
  categories.typeCodeMapping.map((m) => [m.typeCode, m.category]),
);
const CATEGORY_BY_CLASS: ReadonlyMap<string, string | null> = new Map(
  categories.classDefaults.map((d) => [d.classCode, d.category]),
);

/**
 * The patient-facing category of a document (SYNTHESE, ORD_SOIN, CPT_REND…): the type's own
 * mapping, else the default of its class, else "Autres documents". Null for technical documents
 * (style sheets, signatures), which the patient's list does not show. The mapping is PROPOSED
 * (the MES backend's is not published).
 */
export function patientCategoryOf(typeCode: string, classCode?: string): string | null {
  const byType = CATEGORY_BY_TYPE.get(typeCode);
  if (byType !== undefined) return byType;
  const byClass = CATEGORY_BY_CLASS.get(classCode ?? classCodeOf(typeCode) ?? '');
  return byClass === undefined ? FALLBACK_PATIENT_CATEGORY : byClass;
}

export interface PatientCategory {
  code: string;
  display: string;
  /** Offered when the patient adds a document of their own. */
  patientSelectable: boolean;
  /** The typeCode a patient's own upload of this category is filed with (DOCPAT01…). */
  patientUploadTypeCode: string | null;
}

/** The patient categories of Mon espace santé, in the app's order. */
export const PATIENT_CATEGORIES: readonly PatientCategory[] = categories.categories.map((c) => ({
  code: c.code,
  display: c.display,
  patientSelectable: c.patientSelectable,
  patientUploadTypeCode: 'patientUploadTypeCode' in c && typeof c.patientUploadTypeCode === 'string' ? c.patientUploadTypeCode : null,
}));
