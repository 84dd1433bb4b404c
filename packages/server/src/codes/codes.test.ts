import { describe, expect, it } from 'vitest';
import { confidentialityOf, isConfidentialityCode, VISIBILITY_SYSTEM } from './confidentiality.ts';
import { classCodeOf, DOCUMENT_TYPES, documentTypeOf, patientCategoryOf, PATIENT_CATEGORIES } from './document-types.ts';
import { professionOf } from './professions.ts';

describe('document types', () => {
  it('derives the classCode from the typeCode (ASS_X04), signatures in their own class', () => {
    expect(DOCUMENT_TYPES).toHaveLength(123);
    expect(classCodeOf('11488-4')).toBe('10');
    expect(classCodeOf('60591-5')).toBe('11');
    expect(classCodeOf('E1762')).toBe('urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1');
    expect(documentTypeOf('E1762')?.classSystem).toContain('TRE_A10');
    expect(documentTypeOf('11488-4')).toMatchObject({ system: 'http://loinc.org', classDisplay: 'Compte rendu' });
    expect(classCodeOf('NOT-A-TYPE')).toBeUndefined();
  });

  it("gives every document the patient's category: by type, else by class, else other documents", () => {
    expect(patientCategoryOf('11502-2')).toBe('BIOLOGIE');
    expect(patientCategoryOf('DOCPAT01')).toBe('SYNTHESE');
    expect(patientCategoryOf('X-LOCAL', '42')).toBe('ORD_SOIN');
    expect(patientCategoryOf('X-LOCAL')).toBe('AUTR_DOC');
    expect(patientCategoryOf('X-LOCAL', '77')).toBe('AUTR_DOC');
    // Style sheets and signatures are not listed to the patient.
    expect(patientCategoryOf('FEUILLE-DE-STYLE')).toBeNull();
    expect(patientCategoryOf('E1762')).toBeNull();
    const categories = new Set(PATIENT_CATEGORIES.map((c) => c.code));
    for (const type of DOCUMENT_TYPES) {
      const category = patientCategoryOf(type.code);
      if (category !== null) expect(categories.has(category), type.code).toBe(true);
    }
    expect(PATIENT_CATEGORIES.find((c) => c.code === 'ORD_SOIN')).toMatchObject({ patientSelectable: true, patientUploadTypeCode: 'DOCPAT02' });
  });
});

describe('confidentiality codes and professions', () => {
  it('knows the JDV_J58 codes with their systems', () => {
    expect(confidentialityOf('MASQUE_PS')).toMatchObject({ system: VISIBILITY_SYSTEM });
    expect(isConfidentialityCode('N')).toBe(true);
    expect(isConfidentialityCode('MASQUE_PS', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality')).toBe(false);
    expect(isConfidentialityCode('SECRET')).toBe(false);
  });

  it('knows the TRE_G15 professions', () => {
    expect(professionOf('60')).toMatchObject({ display: 'Infirmier', xdsAuthorSpecialty: 'G15_60' });
    expect(professionOf('00')).toBeUndefined();
  });
});
