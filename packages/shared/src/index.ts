export { INS_OID, isValidNir, nirKey, withNirKey } from './identifiers/nir.ts';
export { idNatPs, isValidRpps } from './identifiers/rpps.ts';
export { idNatStruct, isValidFiness } from './identifiers/finess.ts';
export { hasValidLuhn, luhnCheckDigit } from './identifiers/luhn.ts';
export {
  checkInsIdentity,
  type InsIdentity,
  isAcceptedInsOid,
  normalizeTrait,
  patientMssAddress,
  type TraitProblem,
} from './identifiers/ins.ts';
