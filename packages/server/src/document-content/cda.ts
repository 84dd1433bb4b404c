/**
 * A CDA R2 document as Carnet reads it: the French CI-SIS header, and either the embedded file of
 * a level 1 document (N1, `nonXMLBody`) or the sections of a structured one (N3, `structuredBody`)
 * whose narrative is kept only as the whitelisted tree below, never as XML.
 */

export const HL7_V3_NAMESPACE = 'urn:hl7-org:v3';

export const CDA_OIDS = {
  loinc: '2.16.840.1.113883.6.1',
  /** TRE_A05 TypeDocComplementaire: document types LOINC does not name. */
  treA05: '1.2.250.1.213.1.1.4.12',
  hl7Confidentiality: '2.16.840.1.113883.5.25',
  /** idNat_PS: "8" + RPPS, or "0" + ADELI (reference.md §3.3). */
  idNatPs: '1.2.250.1.71.4.2.1',
  /** idNat_Struct: "1" + FINESS, "2" + SIREN, "3" + SIRET, "4" + RPPS-rang. */
  idNatStruct: '1.2.250.1.71.4.2.2',
} as const;

export interface CdaCode {
  code: string;
  codeSystem: string;
  displayName?: string;
}

export interface CdaInstanceId {
  root: string;
  extension?: string;
}

export interface CdaPatient {
  ins: { oid: string; matricule: string };
  /** The birth name (qualifier BR) when given, else the first family name. */
  familyName?: string;
  givenNames: string[];
  /** YYYY-MM-DD (or shorter, as precise as the document is). */
  birthDate?: string;
  /** administrativeGenderCode: M, F or U. */
  sex?: string;
}

export interface CdaAuthor {
  /** The professional's national identifier as written (idNat_PS). */
  idNatPs?: string;
  /** Set when idNat_PS is "8" + an 11-digit RPPS number. */
  rpps?: string;
  familyName?: string;
  givenNames: string[];
  /** ISO 8601, as precise as the document gives it. */
  time?: string;
}

export interface CdaCustodian {
  idNatStruct?: string;
  /** Set when idNat_Struct is "1" + a 9-character FINESS number. */
  finess?: string;
  name?: string;
}

/** The narrative elements Carnet renders (CDA R2 NarrativeBlock.xsd, less what it drops). */
export type NarrativeElementName =
  | 'paragraph'
  | 'content'
  | 'link'
  | 'sub'
  | 'sup'
  | 'br'
  | 'footnote'
  | 'caption'
  | 'list'
  | 'item'
  | 'table'
  | 'thead'
  | 'tbody'
  | 'tfoot'
  | 'tr'
  | 'th'
  | 'td';

/** styleCode values (NarrativeBlock.xsd) as the fixed class names they render to. */
export const STYLE_CLASSES = {
  Bold: 'cda-bold',
  Underline: 'cda-underline',
  Italics: 'cda-italics',
  Emphasis: 'cda-emphasis',
  Lrule: 'cda-lrule',
  Rrule: 'cda-rrule',
  Toprule: 'cda-toprule',
  Botrule: 'cda-botrule',
  Arabic: 'cda-list-arabic',
  LittleRoman: 'cda-list-little-roman',
  BigRoman: 'cda-list-big-roman',
  LittleAlpha: 'cda-list-little-alpha',
  BigAlpha: 'cda-list-big-alpha',
  Disc: 'cda-list-disc',
  Circle: 'cda-list-circle',
  Square: 'cda-list-square',
} as const;

export type StyleClass = (typeof STYLE_CLASSES)[keyof typeof STYLE_CLASSES];

export type NarrativeNode =
  | { type: 'text'; text: string }
  /** A renderMultiMedia reference: the image is not shown, the reader is told so. */
  | { type: 'multimedia' }
  | {
      type: 'element';
      name: NarrativeElementName;
      classes: StyleClass[];
      /** table cells */
      colspan?: number;
      rowspan?: number;
      /** link: an https URL without credentials; absent, the link renders as its text. */
      href?: string;
      /** list */
      ordered?: boolean;
      children: NarrativeNode[];
    };

export interface CdaSection {
  title?: string;
  code?: CdaCode;
  narrative: NarrativeNode[];
  sections: CdaSection[];
}

export type CdaBody =
  | { level: 'N1'; mediaType: string; content: Uint8Array }
  | { level: 'N3'; sections: CdaSection[] };

export interface CdaDocument {
  id: CdaInstanceId;
  /** The XDS uniqueId: `root`, or `root^extension` when the id has an extension. */
  uniqueId: string;
  setId?: CdaInstanceId;
  versionNumber?: number;
  typeCode: CdaCode;
  title: string;
  /** ISO 8601: a date, or a date-time with its offset. */
  effectiveTime: string;
  confidentiality: CdaCode[];
  languageCode?: string;
  patient: CdaPatient;
  authors: CdaAuthor[];
  custodian?: CdaCustodian;
  /** documentationOf/serviceEvent/effectiveTime: what DocumentReference.context.period carries. */
  serviceEvent?: { start?: string; end?: string };
  body: CdaBody;
}

/** XDS uniqueId of a CDA id (IHE ITI TF-3 §4.2.3.2.26): root, or root^extension. */
export const uniqueIdOf = (id: CdaInstanceId) => (id.extension === undefined ? id.root : `${id.root}^${id.extension}`);
