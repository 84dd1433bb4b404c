import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INS_OID } from '@carnet/shared';
import { describe, expect, it } from 'vitest';
import { CarnetError } from '../errors.ts';
import { parseCda } from './cda-parse.ts';
import { hl7TimeToIso } from './cda-time.ts';
import { buildCdaN1, buildCdaN3 } from './fixtures/cda-builder.ts';
import { buildPdf } from './fixtures/pdf-builder.ts';

const MAX = 20 * 1024 * 1024;
const parse = (xml: string) => parseCda(new TextEncoder().encode(xml), { maxBytes: MAX });

function refusal(xml: string): CarnetError {
  try {
    parse(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(CarnetError);
    expect((error as CarnetError).status).toBe(400);
    return error as CarnetError;
  }
  throw new Error('the CDA was accepted');
}

/** A CDA N3 whose first section's narrative is `narrative`. */
const withNarrative = (narrative: string) => buildCdaN3({ sections: [{ title: 'Texte', narrativeXml: narrative }] });

describe('parseCda refuses hostile XML before or while parsing (checklist E3)', () => {
  it('refuses an external entity reading a file (XXE), naming the DOCTYPE', () => {
    const xml = buildCdaN3({ title: 'x' }).replace(
      '<ClinicalDocument',
      '<!DOCTYPE ClinicalDocument [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<ClinicalDocument',
    ).replace('<title>x</title>', '<title>&secret;</title>');
    const error = refusal(xml);
    expect(error.message).toMatch(/^line 2: a DOCTYPE or entity declaration is not accepted/);
    expect(error.message).not.toContain('root:');
  });

  it('fetches nothing for an entity pointing at a local server', async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('<x/>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const xml = buildCdaN3({ title: 'x' })
        .replace('<ClinicalDocument', `<!DOCTYPE ClinicalDocument [<!ENTITY remote SYSTEM "http://127.0.0.1:${port}/ssrf">]>\n<ClinicalDocument`)
        .replace('<title>x</title>', '<title>&remote;</title>');
      expect(refusal(xml).code).toBe('invalid_cda');
      // Let any request that might have been started reach the server.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('refuses a billion-laughs entity bomb without expanding it', () => {
    const entities = Array.from({ length: 10 }, (_, n) => `<!ENTITY lol${n + 1} "${`&lol${n};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]>${buildCdaN3({ title: '&lol10;' }).replace(/^<\?xml[^>]*>/, '')}`;
    expect(refusal(xml).message).toMatch(/DOCTYPE or entity declaration/);
  });

  it('refuses a flood of a million character references', () => {
    const xml = withNarrative(`<paragraph>${'&#65;'.repeat(1_000_000)}</paragraph>`);
    expect(refusal(xml).message).toMatch(/more than 100000 character or entity references/);
  });

  it('refuses elements nested ten thousand deep', () => {
    const xml = withNarrative(`${'<content>'.repeat(10_000)}x${'</content>'.repeat(10_000)}`);
    expect(refusal(xml).message).toMatch(/nested more than 128 deep/);
  });

  it('is not fooled by ">" or "<" inside attribute values when counting depth', () => {
    const xml = withNarrative(`<paragraph><content ID="a>b" styleCode="Bold">x</content><linkHtml href="https://example.org/?a=1&amp;b=2" title="1 &lt; 2 > 0">lien</linkHtml></paragraph>`);
    expect(parse(xml).body.level).toBe('N3');
  });

  it('stops at the first well-formedness error, with its line', () => {
    expect(refusal(withNarrative('<paragraph>non fermé')).message).toMatch(/^line \d+, column \d+: the XML is not well-formed/);
    // XML knows five named entities; HTML ones are an error, not a guess.
    expect(refusal(withNarrative('<paragraph>a&nbsp;b</paragraph>')).message).toMatch(/not well-formed/);
  });

  it('refuses XML in another encoding than UTF-8', () => {
    const xml = buildCdaN3().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(refusal(xml).message).toMatch(/declares the encoding "ISO-8859-1"; CDA documents are UTF-8/);
    const latin1 = Uint8Array.from(Buffer.from(buildCdaN3(), 'latin1'));
    expect(() => parseCda(latin1, { maxBytes: MAX })).toThrow(/not valid UTF-8/);
  });

  it('refuses a root other than ClinicalDocument in urn:hl7-org:v3', () => {
    expect(refusal(buildCdaN3().replace('xmlns="urn:hl7-org:v3"', 'xmlns="urn:example"')).message).toMatch(
      /root element must be ClinicalDocument in the namespace urn:hl7-org:v3/,
    );
  });

  it('refuses XML over the size given', () => {
    expect(() => parseCda(new TextEncoder().encode(buildCdaN3()), { maxBytes: 1000 })).toThrow(/at most 1000 are accepted/);
  });
});

describe('parseCda reads the CI-SIS header', () => {
  it('of a structured (N3) document', () => {
    const cda = parse(
      buildCdaN3({
        id: { root: '1.2.250.1.999.1', extension: 'CR-2024-0042' },
        patient: { insOid: INS_OID.nir, matricule: '175066912300429', familyName: 'MARTIN', givenNames: ['LUCAS'], birthDate: '1975-06-02', sex: 'M' },
        author: { rpps: '10002345675', familyName: 'MOREAU', givenName: 'Thomas' },
        typeCode: { code: '11490-0', displayName: 'Lettre de liaison' },
        title: 'Lettre de liaison à la sortie',
        effectiveTime: new Date('2024-03-15T09:30:00Z'),
        confidentialityCode: 'R',
        serviceEvent: { start: new Date('2024-03-10T08:00:00Z'), end: new Date('2024-03-15T09:00:00Z') },
      }),
    );
    expect(cda).toMatchObject({
      id: { root: '1.2.250.1.999.1', extension: 'CR-2024-0042' },
      uniqueId: '1.2.250.1.999.1^CR-2024-0042',
      typeCode: { code: '11490-0', codeSystem: '2.16.840.1.113883.6.1', displayName: 'Lettre de liaison' },
      title: 'Lettre de liaison à la sortie',
      effectiveTime: '2024-03-15T09:30:00Z',
      confidentiality: [{ code: 'R', codeSystem: '2.16.840.1.113883.5.25' }],
      languageCode: 'fr-FR',
      versionNumber: 1,
      patient: { ins: { oid: INS_OID.nir, matricule: '175066912300429' }, familyName: 'MARTIN', givenNames: ['LUCAS'], birthDate: '1975-06-02', sex: 'M' },
      authors: [{ idNatPs: '810002345675', rpps: '10002345675', familyName: 'MOREAU', givenNames: ['Thomas'], time: '2024-03-15T09:30:00Z' }],
      custodian: { idNatStruct: '1750000010', finess: '750000010', name: 'Centre hospitalier de démonstration' },
      serviceEvent: { start: '2024-03-10T08:00:00Z', end: '2024-03-15T09:00:00Z' },
    });
    expect(cda.body.level).toBe('N3');
    if (cda.body.level === 'N3') expect(cda.body.sections.map((section) => section.title)).toEqual(['Motif de consultation', 'Examen clinique', 'Résultats biologiques', 'Conclusion']);
  });

  it('of a level 1 (N1) document, with the embedded PDF decoded', () => {
    const pdf = buildPdf(['Compte rendu opératoire']);
    const cda = parse(buildCdaN1({ pdf, typeCode: { code: '34874-8', displayName: 'Compte rendu opératoire' } }));
    expect(cda.typeCode.code).toBe('34874-8');
    expect(cda.body).toEqual({ level: 'N1', mediaType: 'application/pdf', content: new Uint8Array(pdf) });
  });

  it('keeps a time offset, and a date without time as a date', () => {
    expect(hl7TimeToIso('20240315103000+0100')).toBe('2024-03-15T10:30:00+01:00');
    expect(hl7TimeToIso('202403151030-0330')).toBe('2024-03-15T10:30:00-03:30');
    expect(hl7TimeToIso('20240315103000.25+0000')).toBe('2024-03-15T10:30:00.250Z');
    expect(hl7TimeToIso('20240315')).toBe('2024-03-15');
    expect(hl7TimeToIso('20240315103000')).toBe('no-offset');
    expect(hl7TimeToIso('20240230')).toBe('invalid');
    expect(hl7TimeToIso('2024-03-15')).toBe('invalid');
  });

  it('records an author without an RPPS (ADELI) without inventing one', () => {
    const cda = parse(buildCdaN3().replaceAll('extension="810001234565"', 'extension="0751234567"'));
    expect(cda.authors[0]).toMatchObject({ idNatPs: '0751234567', familyName: 'BERNARD' });
    expect(cda.authors[0]!.rpps).toBeUndefined();
  });
});

describe('parseCda names where a header is incomplete', () => {
  it.each([
    ['no INS', (xml: string) => xml.replace(/root="1\.2\.250\.1\.213\.1\.4\.10"/, 'root="1.2.250.1.999"'), 'ClinicalDocument/recordTarget/patientRole/id: the patient\'s INS is required'],
    ['an INS matricule with a wrong key', (xml: string) => xml.replace('284037511201238', '284037511201239'), 'ClinicalDocument/recordTarget/patientRole/id/@extension: the INS matricule'],
    ['no title', (xml: string) => xml.replace(/<title>[^<]*<\/title>\n/, ''), 'ClinicalDocument/title: this element is required.'],
    ['a type code without its system', (xml: string) => xml.replace('codeSystem="2.16.840.1.113883.6.1" displayName', 'displayName'), 'ClinicalDocument/code/@codeSystem: the code system OID is required.'],
    ['an effectiveTime without offset', (xml: string) => xml.replace(/<effectiveTime value="(\d{14})\+0000"\/>/, '<effectiveTime value="$1"/>'), 'ClinicalDocument/effectiveTime/@value: a time of day needs its offset'],
    ['no confidentiality code', (xml: string) => xml.replace(/<confidentialityCode[^>]*>/, ''), 'ClinicalDocument/confidentialityCode: the confidentiality code'],
    ['no author', (xml: string) => xml.replace(/<author>[\s\S]*<\/author>/, ''), 'ClinicalDocument/author: at least one author is required.'],
    ['a document id that is not an OID', (xml: string) => xml.replace(/<id root="2\.25\.\d+"\/>/, '<id root="urn:cda:42"/>'), 'ClinicalDocument/id/@root: the root must be an OID'],
    ['two bodies', (xml: string) => xml.replace('<structuredBody>', '<nonXMLBody><text mediaType="text/plain" representation="B64">eA==</text></nonXMLBody><structuredBody>'), 'ClinicalDocument/component: the body must be one nonXMLBody'],
  ])('%s', (_name, mutate, message) => {
    expect(refusal(mutate(buildCdaN3())).message).toContain(message);
  });

  it('an N1 that points at its file instead of embedding it (nothing is fetched)', () => {
    const xml = buildCdaN1().replace(/<text mediaType="application\/pdf" representation="B64">[^<]*<\/text>/, '<text mediaType="application/pdf"><reference value="http://127.0.0.1/doc.pdf"/></text>');
    expect(refusal(xml).message).toContain('ClinicalDocument/component/nonXMLBody/text/@representation: the file must be embedded in base64');
  });

  it('an N1 whose base64 is damaged', () => {
    const xml = buildCdaN1().replace(/representation="B64">/, 'representation="B64">*');
    expect(refusal(xml).message).toContain('ClinicalDocument/component/nonXMLBody/text: the embedded file must be non-empty base64.');
  });
});
