import { describe, expect, it } from 'vitest';
import { cdaPlainText, renderCdaHtml } from './cda-html.ts';
import { parseCda } from './cda-parse.ts';
import { buildCdaN1, buildCdaN3 } from './fixtures/cda-builder.ts';

const parse = (xml: string) => parseCda(new TextEncoder().encode(xml), { maxBytes: 1024 * 1024 });
const narrative = (xml: string) => parse(buildCdaN3({ sections: [{ title: 'Texte', narrativeXml: xml }] }));

/** Every tag the renderer may write: anything else in its output would come from the document. */
const RENDERED_TAGS = new Set(['article', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dl', 'dt', 'dd', 'section', 'div', 'p', 'span', 'a', 'sub', 'sup', 'br', 'small', 'caption', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td']);
const RENDERED_ATTRIBUTES = new Set(['class', 'lang', 'href', 'rel', 'target', 'colspan', 'rowspan']);

/** The tags and attribute names in `html`, checking that every "<" opens a well-formed tag with quoted attributes. */
function tagsAndAttributes(html: string) {
  const tags = [...html.matchAll(/<\/?([a-z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)>/g)];
  expect(tags.length).toBe(html.split('<').length - 1);
  return {
    tags: new Set(tags.map((tag) => tag[1]!)),
    attributes: new Set(tags.flatMap((tag) => [...tag[2]!.matchAll(/\s([a-z-]+)="/g)].map((attribute) => attribute[1]!))),
  };
}

describe('renderCdaHtml', () => {
  it('shows the header summary and the consultation narrative, table included', () => {
    const html = renderCdaHtml(parse(buildCdaN3({ effectiveTime: new Date('2024-03-15T09:30:00Z') })));
    expect(html).toContain('<h1>Compte rendu de consultation</h1>');
    expect(html).toContain('<dt>Date</dt><dd>15 mars 2024 à 10:30</dd>');
    expect(html).toContain('<dt>Auteur</dt><dd>Claire BERNARD</dd>');
    expect(html).toContain('<dt>Patient</dt><dd>CAMILLE ANNE DURAND</dd>');
    expect(html).toContain('<h2>Résultats biologiques</h2>');
    expect(html).toContain('<caption>Bilan sanguin du 2 mars</caption>');
    expect(html).toContain('<tr><td>Hémoglobine</td><td>13,8 g/dL</td><td>12 – 16 g/dL</td></tr>');
    expect(html).toContain('<li>Tension artérielle : <span class="cda-bold">128/82 mmHg</span></li>');
  });

  it('speaks English when asked, in the reader\'s time zone', () => {
    const html = renderCdaHtml(parse(buildCdaN3({ effectiveTime: new Date('2024-03-15T09:30:00Z') })), { locale: 'en', timeZone: 'America/New_York' });
    expect(html).toContain('<dt>Date</dt><dd>15 March 2024 at 05:30</dd>');
    expect(html).toContain('<dt>Author</dt>');
  });

  it('escapes scripts, event handlers and javascript: links from a crafted narrative', () => {
    const cda = narrative(`
      <paragraph>&lt;script&gt;alert(1)&lt;/script&gt;<![CDATA[<img src=x onerror=alert(2)>]]></paragraph>
      <paragraph onclick="alert(3)" style="background:url(javascript:alert(4))" styleCode="Bold xss&quot; onmouseover=&quot;alert(5)">gras</paragraph>
      <linkHtml href="javascript:alert(6)">lien piégé</linkHtml>
      <linkHtml href="https://user:pw@evil.example/">lien avec identifiants</linkHtml>
      <linkHtml href="https://www.ameli.fr/assure?a=1&amp;b=&quot;2&quot;">ameli</linkHtml>
      <script xmlns="http://www.w3.org/1999/xhtml">alert(7)</script>
      <iframe src="https://evil.example/"/>
      <table><tbody><tr><td colspan="2&quot; onmouseover=&quot;alert(8)" rowspan="3">cellule</td></tr></tbody></table>
      <renderMultiMedia referencedObject="img1"/>`);
    const html = renderCdaHtml(cda);
    const { tags, attributes } = tagsAndAttributes(html);
    expect([...tags].filter((tag) => !RENDERED_TAGS.has(tag))).toEqual([]);
    expect([...attributes].filter((attribute) => !RENDERED_ATTRIBUTES.has(attribute))).toEqual([]);
    // Event handlers and styles could only live in attributes, and the attributes are the whitelist above.
    expect(html).not.toMatch(/javascript:|<script|<img|<iframe/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('<p class="cda-bold">gras</p>');
    expect(html).toContain('<span class="cda-link">lien piégé</span>');
    expect(html).toContain('<span class="cda-link">lien avec identifiants</span>');
    expect(html).toContain('<a href="https://www.ameli.fr/assure?a=1&amp;b=%222%22" rel="noopener noreferrer nofollow" target="_blank">ameli</a>');
    expect(html).toContain('alert(7)'); // unknown markup keeps its text, escaped, as text
    expect(html).toContain('<td rowspan="3">cellule</td>');
    expect(html).toContain('<span class="cda-omitted">[Image non affichée]</span>');
  });

  it('renders lists, sub/sup, line breaks and captions outside tables, and drops deleted revisions', () => {
    const html = renderCdaHtml(
      narrative(
        '<list listType="ordered"><caption>Traitement</caption><item>H<sub>2</sub>O</item><item>10<sup>3</sup></item></list>' +
          '<paragraph>avant<br/>après <content revised="delete">supprimé</content><content revised="insert">ajouté</content></paragraph>',
      ),
    );
    expect(html).toContain('<ol><span class="cda-caption">Traitement</span><li>H<sub>2</sub>O</li><li>10<sup>3</sup></li></ol>');
    expect(html).toContain('<p>avant<br>après <span>ajouté</span></p>');
    expect(html).not.toContain('supprimé');
  });

  it('says that a level 1 document is its attached file', () => {
    expect(renderCdaHtml(parse(buildCdaN1()))).toContain('<p class="cda-embedded">Le contenu de ce document est le fichier joint.</p>');
  });
});

describe('cdaPlainText', () => {
  it('gives the header, section titles and narrative as lines for the search index', () => {
    const text = cdaPlainText(parse(buildCdaN3({ effectiveTime: new Date('2024-03-15T09:30:00Z') })));
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'Compte rendu de consultation',
        'Date : 15 mars 2024 à 10:30',
        'Auteur : Claire BERNARD',
        'Patient : CAMILLE ANNE DURAND',
        'Résultats biologiques',
        'Bilan sanguin du 2 mars',
        'Hémoglobine 13,8 g/dL 12 – 16 g/dL',
        'Tension artérielle : 128/82 mmHg',
      ]),
    );
    expect(text).not.toMatch(/<|&amp;/);
  });
});
