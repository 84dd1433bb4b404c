import { describe, expect, it } from 'vitest';
import { checkInsIdentity, isAcceptedInsOid, normalizeTrait, patientMssAddress } from './ins.ts';
import { INS_OID } from './nir.ts';

const camille = {
  matricule: '284037511201238',
  oid: INS_OID.nir,
  birthFamilyName: 'DURAND',
  firstNames: 'CAMILLE ANNE',
  birthDate: '1984-03-15',
  sex: 'F' as const,
  birthplaceCode: '75112',
};
const today = '2026-11-23';

describe('INS identity', () => {
  it('normalises traits as the national rules require', () => {
    expect(normalizeTrait("  Léa-Marie   d’Œuvray ")).toBe("LEA-MARIE D'OEUVRAY");
    expect(normalizeTrait('Çélestine Hélène')).toBe('CELESTINE HELENE');
  });

  it('accepts a well-formed identity', () => {
    expect(checkInsIdentity(camille, { demo: false, today })).toEqual([]);
  });

  it('names every wrong field', () => {
    const problems = checkInsIdentity(
      { ...camille, matricule: '284037511201239', birthFamilyName: 'Durand', birthDate: '2030-01-01', birthplaceCode: '7511' },
      { demo: false, today },
    );
    expect(problems.map((p) => p.field)).toEqual(['matricule', 'birthFamilyName', 'birthDate', 'birthplaceCode']);
  });

  it('accepts test INS OIDs only in demo mode', () => {
    expect(isAcceptedInsOid(INS_OID.testNir, { demo: false })).toBe(false);
    expect(isAcceptedInsOid(INS_OID.testNir, { demo: true })).toBe(true);
    expect(isAcceptedInsOid(INS_OID.nia, { demo: false })).toBe(true);
    expect(isAcceptedInsOid('1.2.3', { demo: true })).toBe(false);
  });

  it("derives the patient's secure-messaging address from the matricule", () => {
    expect(patientMssAddress('284037511201238', 'carnet.example.fr')).toBe('284037511201238@patient.carnet.example.fr');
    expect(() => patientMssAddress('284037511201239', 'carnet.example.fr')).toThrow(RangeError);
  });
});
