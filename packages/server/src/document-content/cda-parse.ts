import { DOMParser, type Element } from '@xmldom/xmldom';
import { INS_OID, isValidNir } from '@carnet/shared';
import {
  CDA_OIDS,
  type CdaAuthor,
  type CdaBody,
  type CdaCode,
  type CdaCustodian,
  type CdaDocument,
  type CdaInstanceId,
  type CdaPatient,
  type CdaSection,
  HL7_V3_NAMESPACE,
  uniqueIdOf,
} from './cda.ts';
import { readNarrative } from './cda-narrative.ts';
import { hl7TimeToIso } from './cda-time.ts';
import { invalidCda } from './document-content.errors.ts';
import { decodeGuardedXml } from './xml-guard.ts';

/** The four INS OIDs a recordTarget may use; whether test ones are accepted is the filer's call. */
const INS_OIDS: readonly string[] = Object.values(INS_OID);

/** A located element: the XPath-like path every error names. */
interface At {
  element: Element;
  path: string;
}

/**
 * Parses a CDA R2 document safely (security checklist E3): the guard refuses DOCTYPEs and bounds
 * references and nesting before xmldom runs, and any xmldom warning or error stops the parse.
 * Throws `invalid_cda` (400) naming the location of the first problem.
 */
export function parseCda(bytes: Uint8Array, options: { maxBytes: number }): CdaDocument {
  const text = decodeGuardedXml(bytes, options.maxBytes);
  const root = parseXml(text);
  if (root.localName !== 'ClinicalDocument' || root.namespaceURI !== HL7_V3_NAMESPACE) {
    throw invalidCda(
      root.localName ?? 'root',
      `the root element must be ClinicalDocument in the namespace ${HL7_V3_NAMESPACE}, not ${root.localName} in ${root.namespaceURI ?? 'no namespace'}.`,
    );
  }
  const doc: At = { element: root, path: 'ClinicalDocument' };
  const id = instanceId(required(doc, 'id'));
  const typeCode = code(required(doc, 'code'));
  const setId = optional(doc, 'setId');
  const version = optional(doc, 'versionNumber');
  const custodian = optional(doc, 'custodian');
  const serviceEvent = optional(doc, 'documentationOf', 'serviceEvent', 'effectiveTime');
  const languageCode = attribute(optional(doc, 'languageCode'), 'code');
  return {
    id,
    uniqueId: uniqueIdOf(id),
    ...(setId === undefined ? {} : { setId: instanceId(setId) }),
    ...(version === undefined ? {} : { versionNumber: versionNumber(version) }),
    typeCode,
    title: title(doc),
    effectiveTime: time(required(doc, 'effectiveTime')),
    confidentiality: confidentiality(doc),
    ...(languageCode === undefined ? {} : { languageCode }),
    patient: patient(doc),
    authors: authors(doc),
    ...(custodian === undefined ? {} : { custodian: custodianOf(custodian) }),
    ...(serviceEvent === undefined ? {} : { serviceEvent: period(serviceEvent) }),
    body: body(doc),
  };
}

function parseXml(text: string): Element {
  let problem: { message: string; line?: number; column?: number } | undefined;
  const parser = new DOMParser({
    locator: true,
    // Errors are fatal (checklist E3), warnings included: a document xmldom has to guess about
    // is not one to file.
    onError: (_level, message, context) => {
      const locator = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
      problem = { message: message.split('\n')[0]!.slice(0, 160), line: locator?.lineNumber, column: locator?.columnNumber };
      throw new Error('stop');
    },
  });
  let document;
  try {
    document = parser.parseFromString(text, 'text/xml');
  } catch (error) {
    const where = problem?.line === undefined ? 'XML' : `line ${problem.line}, column ${problem.column ?? 0}`;
    throw invalidCda(where, `the XML is not well-formed (${problem?.message ?? (error as Error).message.slice(0, 160)}).`);
  }
  const root = document.documentElement;
  if (root === null) throw invalidCda('XML', 'the document has no root element.');
  return root;
}

function children(at: At, name: string): At[] {
  const found: At[] = [];
  for (let node = at.element.firstChild; node !== null; node = node.nextSibling) {
    const element = node as Element;
    if (node.nodeType === 1 && element.namespaceURI === HL7_V3_NAMESPACE && element.localName === name) {
      found.push({ element, path: '' });
    }
  }
  return found.map((child, index) => ({ ...child, path: `${at.path}/${name}${found.length > 1 ? `[${index + 1}]` : ''}` }));
}

function optional(at: At, ...names: string[]): At | undefined {
  let current: At | undefined = at;
  for (const name of names) current = current === undefined ? undefined : children(current, name)[0];
  return current;
}

function required(at: At, ...names: string[]): At {
  let current = at;
  for (const name of names) {
    const next = children(current, name)[0];
    if (next === undefined) throw invalidCda(`${current.path}/${name}`, 'this element is required.');
    current = next;
  }
  return current;
}

function attribute(at: At | undefined, name: string): string | undefined {
  const value = at?.element.getAttribute(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function requiredAttribute(at: At, name: string, what: string): string {
  const value = attribute(at, name);
  if (value === undefined) throw invalidCda(`${at.path}/@${name}`, `${what} is required.`);
  return value;
}

function textOf(at: At | undefined): string | undefined {
  const text = at?.element.textContent?.replace(/\s+/g, ' ').trim();
  return text === undefined || text === '' ? undefined : text;
}

const OID = /^[0-2](?:\.(?:0|[1-9]\d*))+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function instanceId(at: At): CdaInstanceId {
  const root = requiredAttribute(at, 'root', 'the identifier root (an OID or UUID)');
  if (!OID.test(root) && !UUID.test(root)) throw invalidCda(`${at.path}/@root`, 'the root must be an OID (1.2.250…) or a UUID.');
  const extension = attribute(at, 'extension');
  return extension === undefined ? { root } : { root, extension };
}

function code(at: At): CdaCode {
  const value = requiredAttribute(at, 'code', 'the code');
  const codeSystem = requiredAttribute(at, 'codeSystem', 'the code system OID');
  const displayName = attribute(at, 'displayName');
  return displayName === undefined ? { code: value, codeSystem } : { code: value, codeSystem, displayName };
}

function title(doc: At): string {
  const at = required(doc, 'title');
  const text = textOf(at);
  if (text === undefined) throw invalidCda(at.path, 'the document title is empty.');
  return text;
}

function time(at: At): string {
  const value = requiredAttribute(at, 'value', 'the time');
  const iso = hl7TimeToIso(value);
  if (iso === 'invalid') throw invalidCda(`${at.path}/@value`, 'the time must be written YYYYMMDDHHMMSS+ZZZZ (HL7 TS).');
  if (iso === 'no-offset') throw invalidCda(`${at.path}/@value`, 'a time of day needs its offset from UTC, e.g. 20240315103000+0100.');
  return iso;
}

function optionalTime(at: At | undefined): string | undefined {
  return at === undefined || attribute(at, 'value') === undefined ? undefined : time(at);
}

function versionNumber(at: At): number {
  const value = requiredAttribute(at, 'value', 'the version number');
  if (!/^\d{1,9}$/.test(value)) throw invalidCda(`${at.path}/@value`, 'the version number must be a whole number.');
  return Number(value);
}

function confidentiality(doc: At): CdaCode[] {
  const codes = children(doc, 'confidentialityCode');
  if (codes.length === 0) throw invalidCda('ClinicalDocument/confidentialityCode', 'the confidentiality code (N, R or V) is required.');
  return codes.map(code);
}

function patient(doc: At): CdaPatient {
  const role = required(doc, 'recordTarget', 'patientRole');
  const ins = children(role, 'id').find((id) => INS_OIDS.includes(attribute(id, 'root') ?? ''));
  if (ins === undefined) {
    throw invalidCda(
      `${role.path}/id`,
      `the patient's INS is required: an id with root ${INS_OID.nir} (NIR) or ${INS_OID.nia} (NIA) and the 15-character matricule as extension.`,
    );
  }
  const matricule = attribute(ins, 'extension');
  if (matricule === undefined || !isValidNir(matricule.toUpperCase())) {
    throw invalidCda(`${ins.path}/@extension`, 'the INS matricule must be 15 characters: 13, then the 2-digit key that matches them.');
  }
  const person = optional(role, 'patient');
  const names = person === undefined ? [] : children(person, 'name');
  const name = names[0];
  const families = name === undefined ? [] : children(name, 'family');
  const family = families.find((at) => attribute(at, 'qualifier') === 'BR') ?? families[0];
  const birth = optionalTime(person === undefined ? undefined : optional(person, 'birthTime'));
  const sex = attribute(person === undefined ? undefined : optional(person, 'administrativeGenderCode'), 'code');
  const familyName = textOf(family);
  return {
    ins: { oid: attribute(ins, 'root')!, matricule: matricule.toUpperCase() },
    ...(familyName === undefined ? {} : { familyName }),
    givenNames: givenNames(name),
    ...(birth === undefined ? {} : { birthDate: birth.slice(0, 10) }),
    ...(sex === undefined ? {} : { sex }),
  };
}

function givenNames(name: At | undefined): string[] {
  if (name === undefined) return [];
  return children(name, 'given').flatMap((at) => textOf(at) ?? []);
}

function authors(doc: At): CdaAuthor[] {
  const found = children(doc, 'author');
  if (found.length === 0) throw invalidCda('ClinicalDocument/author', 'at least one author is required.');
  return found.map((author) => {
    const assigned = required(author, 'assignedAuthor');
    const id = children(assigned, 'id').find((at) => attribute(at, 'root') === CDA_OIDS.idNatPs);
    const idNatPs = attribute(id, 'extension');
    const rpps = idNatPs !== undefined && /^8\d{11}$/.test(idNatPs) ? idNatPs.slice(1) : undefined;
    const person = optional(assigned, 'assignedPerson');
    const name = person === undefined ? undefined : children(person, 'name')[0];
    const familyName = textOf(name === undefined ? undefined : children(name, 'family')[0]);
    const authored = optionalTime(optional(author, 'time'));
    return {
      ...(idNatPs === undefined ? {} : { idNatPs }),
      ...(rpps === undefined ? {} : { rpps }),
      ...(familyName === undefined ? {} : { familyName }),
      givenNames: givenNames(name),
      ...(authored === undefined ? {} : { time: authored }),
    };
  });
}

function custodianOf(custodian: At): CdaCustodian {
  const organization = optional(custodian, 'assignedCustodian', 'representedCustodianOrganization');
  if (organization === undefined) return {};
  const id = children(organization, 'id').find((at) => attribute(at, 'root') === CDA_OIDS.idNatStruct);
  const idNatStruct = attribute(id, 'extension');
  const finess = idNatStruct !== undefined && /^1(?:\d{2}|2[AB])\d{7}$/i.test(idNatStruct) ? idNatStruct.slice(1).toUpperCase() : undefined;
  const name = textOf(optional(organization, 'name'));
  return {
    ...(idNatStruct === undefined ? {} : { idNatStruct }),
    ...(finess === undefined ? {} : { finess }),
    ...(name === undefined ? {} : { name }),
  };
}

function period(at: At): { start?: string; end?: string } {
  const start = optionalTime(optional(at, 'low'));
  const end = optionalTime(optional(at, 'high'));
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

function body(doc: At): CdaBody {
  const component = required(doc, 'component');
  const nonXml = optional(component, 'nonXMLBody');
  const structured = optional(component, 'structuredBody');
  if ((nonXml === undefined) === (structured === undefined)) {
    throw invalidCda(component.path, 'the body must be one nonXMLBody (level 1) or one structuredBody (level 3).');
  }
  return nonXml === undefined ? { level: 'N3', sections: sections(structured!) } : embedded(required(nonXml, 'text'));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function embedded(text: At): CdaBody {
  const mediaType = requiredAttribute(text, 'mediaType', 'the media type of the embedded file');
  if (optional(text, 'reference') !== undefined || attribute(text, 'representation') !== 'B64') {
    // A reference would be a URL for Carnet to fetch: never (checklist E3, E6).
    throw invalidCda(`${text.path}/@representation`, 'the file must be embedded in base64 (representation="B64"), not referenced.');
  }
  const encoded = (text.element.textContent ?? '').replace(/\s+/g, '');
  if (encoded === '' || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw invalidCda(text.path, 'the embedded file must be non-empty base64.');
  }
  return { level: 'N1', mediaType: mediaType.toLowerCase(), content: new Uint8Array(Buffer.from(encoded, 'base64')) };
}

function sections(parent: At): CdaSection[] {
  return children(parent, 'component').flatMap((component) => {
    const section = optional(component, 'section');
    if (section === undefined) return [];
    const sectionTitle = textOf(optional(section, 'title'));
    const sectionCode = optional(section, 'code');
    const narrative = optional(section, 'text');
    return [
      {
        ...(sectionTitle === undefined ? {} : { title: sectionTitle }),
        ...(sectionCode === undefined || attribute(sectionCode, 'code') === undefined ? {} : { code: code(sectionCode) }),
        narrative: narrative === undefined ? [] : readNarrative(narrative.element),
        sections: sections(section),
      },
    ];
  });
}
