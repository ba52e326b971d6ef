import type { Range } from '../text/lines.js';
import { LineIndex } from '../text/lines.js';

/** The CSL-JSON fields Verbatim reads; others are kept but ignored. */
export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

export interface CslItem {
  id: string;
  type?: string;
  title?: string;
  author?: CslName[];
  'container-title'?: string;
  publisher?: string;
  'publisher-place'?: string;
  issued?: { 'date-parts'?: number[][]; raw?: string; literal?: string };
  note?: string;
  URL?: string;
  [field: string]: unknown;
}

/** What the editor shows about a source: only what its entry states. */
export interface SourceMetadata {
  title?: string;
  authors: string[];
  date?: string;
  publisher?: string;
  container?: string;
}

export interface CorpusProblem {
  /** The corpus file the problem is in. */
  path: string;
  range?: Range;
  message: string;
  severity: 'error' | 'warning';
}

export interface BibliographyEntry {
  item: CslItem;
  /** Where the entry's `id` stands in the bibliography file. */
  range: Range;
}

export interface ParsedBibliography {
  entries: BibliographyEntry[];
  problems: CorpusProblem[];
}

/** Reads a CSL-JSON bibliography (an array of items, the format Zotero and Pandoc exchange). */
export function parseCslJson(path: string, text: string): ParsedBibliography {
  const lines = new LineIndex(text);
  const problems: CorpusProblem[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const range = at ? lines.range(Number(at[1]), Number(at[1]) + 1) : undefined;
    problems.push({ path, range, severity: 'error', message: `Bibliography is not valid JSON: ${message}` });
    return { entries: [], problems };
  }
  if (!Array.isArray(data)) {
    problems.push({ path, range: lines.range(0, 1), severity: 'error', message: 'A CSL-JSON bibliography must be an array of items' });
    return { entries: [], problems };
  }
  const entries: BibliographyEntry[] = [];
  let searchFrom = 0;
  data.forEach((value: unknown, i) => {
    if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string') {
      problems.push({ path, severity: 'error', message: `Bibliography item ${i + 1} has no string "id"`, range: lines.range(0, 1) });
      return;
    }
    const item = value as CslItem;
    const needle = JSON.stringify(item.id);
    const found = text.indexOf(needle, searchFrom);
    const at = found >= 0 ? found : 0;
    if (found >= 0) searchFrom = found + needle.length;
    entries.push({ item, range: lines.range(at, at + (found >= 0 ? needle.length : 1)) });
  });
  return { entries, problems };
}

function personName(name: CslName): string {
  if (name.literal) return name.literal;
  return [name.given, name.family].filter(Boolean).join(' ');
}

function dateOf(item: CslItem): string | undefined {
  const issued = item.issued;
  if (!issued) return undefined;
  const parts = issued['date-parts']?.[0];
  if (parts && parts.length > 0) {
    return parts.map((part, i) => (i === 0 ? String(part) : String(part).padStart(2, '0'))).join('-');
  }
  return issued.literal ?? issued.raw;
}

export function metadataOf(item: CslItem): SourceMetadata {
  return {
    title: item.title,
    authors: (item.author ?? []).map(personName).filter((n) => n.length > 0),
    date: dateOf(item),
    publisher: item.publisher,
    container: item['container-title'],
  };
}
