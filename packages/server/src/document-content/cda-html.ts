import type { CdaAuthor, CdaDocument, CdaSection, NarrativeNode } from './cda.ts';

/**
 * Renders a parsed CDA for reading: a header summary, then each section's title and narrative.
 * The narrative tree holds only whitelisted elements (cda-narrative.ts), so this is a fixed
 * mapping to HTML tags with every text and attribute value escaped; nothing from the document
 * becomes a tag, an attribute name, a style or a script. Class names are the fixed `cda-*` set.
 */

export type CdaLocale = 'fr' | 'en';

export interface CdaRenderOptions {
  locale?: CdaLocale;
  /** Times are shown in this zone (the reader's), default Europe/Paris. */
  timeZone?: string;
}

const LABELS = {
  fr: {
    date: 'Date',
    author: 'Auteur',
    authors: 'Auteurs',
    patient: 'Patient',
    custodian: 'Établissement',
    omittedImage: 'Image non affichée',
    embedded: 'Le contenu de ce document est le fichier joint.',
  },
  en: {
    date: 'Date',
    author: 'Author',
    authors: 'Authors',
    patient: 'Patient',
    custodian: 'Organisation',
    omittedImage: 'Image not shown',
    embedded: 'The content of this document is the attached file.',
  },
} as const;

type Labels = (typeof LABELS)[CdaLocale];

export function renderCdaHtml(cda: CdaDocument, options: CdaRenderOptions = {}): string {
  const locale = options.locale ?? 'fr';
  const labels = LABELS[locale];
  const summary = headerSummary(cda, locale, options.timeZone ?? 'Europe/Paris');
  const rows = summary.map(([label, value]) => `<dt>${escape(labels[label])}</dt><dd>${escape(value)}</dd>`).join('');
  const header = `<header class="cda-header"><h1>${escape(cda.title)}</h1><dl>${rows}</dl></header>`;
  const body =
    cda.body.level === 'N1'
      ? `<p class="cda-embedded">${escape(labels.embedded)}</p>`
      : cda.body.sections.map((section) => sectionHtml(section, 2, labels)).join('');
  return `<article class="cda-document" lang="${locale}">${header}${body}</article>`;
}

/** The same content as plain text, for the full-text index: header, section titles, narrative. */
export function cdaPlainText(cda: CdaDocument, options: CdaRenderOptions = {}): string {
  const locale = options.locale ?? 'fr';
  const labels = LABELS[locale];
  const lines = [cda.title, ...headerSummary(cda, locale, options.timeZone ?? 'Europe/Paris').map(([label, value]) => `${labels[label]} : ${value}`)];
  if (cda.body.level === 'N3') lines.push(...cda.body.sections.map(sectionText));
  return lines.join('\n').replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

type SummaryLabel = 'date' | 'author' | 'authors' | 'patient' | 'custodian';

function headerSummary(cda: CdaDocument, locale: CdaLocale, timeZone: string): [SummaryLabel, string][] {
  const rows: [SummaryLabel, string][] = [['date', formatTime(cda.effectiveTime, locale, timeZone)]];
  const authors = cda.authors.map(authorName).filter((name) => name !== '');
  if (authors.length > 0) rows.push([authors.length > 1 ? 'authors' : 'author', authors.join(', ')]);
  const patient = [...cda.patient.givenNames, cda.patient.familyName ?? ''].join(' ').trim();
  if (patient !== '') rows.push(['patient', patient]);
  if (cda.custodian?.name !== undefined) rows.push(['custodian', cda.custodian.name]);
  return rows;
}

const authorName = (author: CdaAuthor) => [...author.givenNames, author.familyName ?? ''].join(' ').trim();

function formatTime(iso: string, locale: CdaLocale, timeZone: string): string {
  const language = locale === 'fr' ? 'fr-FR' : 'en-GB';
  if (iso.length <= 10) {
    // A date alone is a calendar day, not an instant: shown as written, in no time zone.
    const [year, month, day] = iso.split('-').map(Number);
    const date = new Date(Date.UTC(year!, (month ?? 1) - 1, day ?? 1));
    const parts: Intl.DateTimeFormatOptions =
      day !== undefined ? { dateStyle: 'long' } : month !== undefined ? { year: 'numeric', month: 'long' } : { year: 'numeric' };
    return new Intl.DateTimeFormat(language, { ...parts, timeZone: 'UTC' }).format(date);
  }
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
}

function sectionHtml(section: CdaSection, level: number, labels: Labels): string {
  const heading = Math.min(level, 6);
  const title = section.title === undefined ? '' : `<h${heading}>${escape(section.title)}</h${heading}>`;
  const narrative = section.narrative.map((node) => nodeHtml(node, labels, undefined)).join('');
  const nested = section.sections.map((child) => sectionHtml(child, level + 1, labels)).join('');
  return `<section class="cda-section">${title}<div class="cda-narrative">${narrative}</div>${nested}</section>`;
}

const TAGS = {
  paragraph: 'p',
  content: 'span',
  link: 'a',
  sub: 'sub',
  sup: 'sup',
  br: 'br',
  footnote: 'small',
  caption: 'caption',
  list: 'ul',
  item: 'li',
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tfoot: 'tfoot',
  tr: 'tr',
  th: 'th',
  td: 'td',
} as const;

function nodeHtml(node: NarrativeNode, labels: Labels, parent: NarrativeNode | undefined): string {
  if (node.type === 'text') return escape(node.text);
  if (node.type === 'multimedia') return `<span class="cda-omitted">[${escape(labels.omittedImage)}]</span>`;
  if (node.name === 'br') return '<br>';
  const inner = node.children.map((child) => nodeHtml(child, labels, node)).join('');
  let tag: string = TAGS[node.name];
  const classes: string[] = [...node.classes];
  const attributes: string[] = [];
  if (node.name === 'list' && node.ordered === true) tag = 'ol';
  if (node.name === 'caption' && !(parent?.type === 'element' && parent.name === 'table')) {
    // Outside a table, a CDA caption titles its paragraph or list.
    tag = 'span';
    classes.push('cda-caption');
  }
  if (node.name === 'footnote') classes.push('cda-footnote');
  if (node.name === 'link') {
    if (node.href === undefined) return `<span class="cda-link">${inner}</span>`;
    attributes.push(`href="${escape(node.href)}"`, 'rel="noopener noreferrer nofollow"', 'target="_blank"');
  }
  if (node.colspan !== undefined) attributes.push(`colspan="${node.colspan}"`);
  if (node.rowspan !== undefined) attributes.push(`rowspan="${node.rowspan}"`);
  if (classes.length > 0) attributes.unshift(`class="${classes.join(' ')}"`);
  return `<${tag}${attributes.map((attribute) => ` ${attribute}`).join('')}>${inner}</${tag}>`;
}

function sectionText(section: CdaSection): string {
  const narrative = section.narrative.map(nodeText).join('');
  return [section.title ?? '', narrative, ...section.sections.map(sectionText)].filter((part) => part.trim() !== '').join('\n');
}

const BLOCK_TEXT = new Set(['paragraph', 'item', 'tr', 'caption', 'list', 'table', 'br']);

function nodeText(node: NarrativeNode): string {
  if (node.type === 'text') return node.text.replace(/\s+/g, ' ');
  if (node.type === 'multimedia') return '';
  const inner = node.children.map(nodeText).join('');
  if (node.name === 'td' || node.name === 'th') return `${inner.trim()}\t`;
  return BLOCK_TEXT.has(node.name) ? `\n${inner.trim()}\n` : inner;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}
