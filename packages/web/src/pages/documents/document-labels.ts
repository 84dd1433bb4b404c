import type { DocumentSummary } from '../../api/documents.ts';
import type { Lang } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/fr.ts';

type D = Messages['documents'];

/** "1,2 Mo": sizes in the reader's units, to one decimal. */
export function sizeLabel(d: D, lang: Lang, bytes: number): string {
  const number = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return d.sizes.mb.replace('{n}', number.format(bytes / (1024 * 1024)));
  if (bytes >= 1024) return d.sizes.kb.replace('{n}', number.format(bytes / 1024));
  return d.sizes.bytes.replace('{n}', number.format(bytes));
}

export const formatLabel = (d: D, contentType: string) => d.formats[contentType] ?? contentType;

/** Who wrote the document, as the list and the document page name them. */
export function authorLabel(d: D, document: Pick<DocumentSummary, 'author'>): string {
  if (document.author === null) return d.unknownAuthor;
  if (document.author.kind === 'patient') return d.you;
  return document.author.name ?? d.unknownAuthor;
}

/** Dates in French time, whatever the browser's zone, as the access history shows them. */
export function dateLabel(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(
    new Date(iso),
  );
}

/** A calendar date (YYYY-MM-DD, a stay's) in words, without any time-zone shift. */
export function dayLabel(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
