import type { Element, Node } from '@xmldom/xmldom';
import { HL7_V3_NAMESPACE, type NarrativeElementName, type NarrativeNode, STYLE_CLASSES, type StyleClass } from './cda.ts';

/**
 * Reads a section's `text` (the CDA narrative block) into Carnet's own tree, element by element
 * from a whitelist. Whatever is not on it keeps its text and loses its markup; no attribute is
 * copied as such: styleCode becomes fixed class names, spans become bounded integers, and links
 * keep an https address only. Rendering that tree is then escaping, not sanitising.
 */

const ELEMENTS: Readonly<Record<string, NarrativeElementName>> = {
  paragraph: 'paragraph',
  content: 'content',
  linkHtml: 'link',
  sub: 'sub',
  sup: 'sup',
  br: 'br',
  footnote: 'footnote',
  caption: 'caption',
  list: 'list',
  item: 'item',
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tfoot: 'tfoot',
  tr: 'tr',
  th: 'th',
  td: 'td',
};

/** Elements dropped with their content: column layout, references to ids and the deleted text of a revision. */
const DROPPED = new Set(['col', 'colgroup', 'footnoteRef']);

/** Containers of other elements only: the indentation between their children is not text. */
const STRUCTURAL = new Set<NarrativeElementName>(['list', 'table', 'thead', 'tbody', 'tfoot', 'tr']);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

export function readNarrative(text: Element): NarrativeNode[] {
  return readChildren(text);
}

function readChildren(parent: Node): NarrativeNode[] {
  const nodes: NarrativeNode[] = [];
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) {
      nodes.push({ type: 'text', text: child.nodeValue ?? '' });
    } else if (child.nodeType === ELEMENT_NODE) {
      nodes.push(...readElement(child as Element));
    }
  }
  return nodes;
}

function readElement(element: Element): NarrativeNode[] {
  const local = element.localName ?? '';
  // Another namespace (XHTML smuggled into a CDA, say) counts as unknown: text only.
  if (element.namespaceURI !== HL7_V3_NAMESPACE) return readChildren(element);
  if (DROPPED.has(local)) return [];
  if (local === 'content' && element.getAttribute('revised') === 'delete') return [];
  if (local === 'renderMultiMedia') return [{ type: 'multimedia' }];
  const name = ELEMENTS[local];
  if (name === undefined) return readChildren(element);
  const node: Extract<NarrativeNode, { type: 'element' }> = {
    type: 'element',
    name,
    classes: styleClasses(element.getAttribute('styleCode')),
    children: name === 'br' ? [] : readChildren(element),
  };
  if (STRUCTURAL.has(name)) node.children = node.children.filter((child) => child.type !== 'text' || child.text.trim() !== '');
  if (name === 'td' || name === 'th') {
    const colspan = span(element.getAttribute('colspan'));
    const rowspan = span(element.getAttribute('rowspan'));
    if (colspan !== undefined) node.colspan = colspan;
    if (rowspan !== undefined) node.rowspan = rowspan;
  }
  if (name === 'list') node.ordered = element.getAttribute('listType') === 'ordered';
  if (name === 'link') {
    const href = safeHref(element.getAttribute('href'));
    if (href !== undefined) node.href = href;
  }
  return [node];
}

function styleClasses(styleCode: string | null): StyleClass[] {
  if (styleCode === null) return [];
  const classes = new Set<StyleClass>();
  for (const code of styleCode.split(/\s+/)) {
    if (Object.hasOwn(STYLE_CLASSES, code)) classes.add(STYLE_CLASSES[code as keyof typeof STYLE_CLASSES]);
  }
  return [...classes];
}

function span(value: string | null): number | undefined {
  if (value === null || !/^\d{1,4}$/.test(value.trim())) return undefined;
  const number = Number(value);
  return number >= 2 && number <= 1000 ? number : undefined;
}

/** Only absolute https addresses, without user names or passwords; anything else is text. */
export function safeHref(value: string | null): string | undefined {
  if (value === null) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  return url.href;
}
