import { entries as bibtexEntries, type BibtexEntry, type BibtexSyntaxError } from 'bibtex-parse';
import type { Range } from '../text/lines.js';
import { LineIndex } from '../text/lines.js';
import { attachmentPaths } from './attachments.js';
import { isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

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
  /** Attachment paths from a BibTeX `file` field, as written (relative to the bibliography's folder, or absolute). */
  attachments?: readonly string[];
}

export interface ParsedBibliography {
  entries: BibliographyEntry[];
  problems: CorpusProblem[];
}

/**
 * Where JSON.parse stopped. V8 says either "at position N", or quotes the text
 * around the bad token (`Unexpected token ']', ..."  {"id": ]"... is not valid JSON`).
 */
function jsonErrorOffset(message: string, text: string): number | undefined {
  const position = /position (\d+)/u.exec(message);
  if (position) return Number(position[1]);
  if (/Unexpected end of JSON input/u.test(message)) return Math.max(0, text.trimEnd().length - 1);
  const quoted = /Unexpected token '([\s\S])', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/u.exec(message);
  if (!quoted) return undefined;
  const around = text.indexOf(quoted[2]);
  return around < 0 ? undefined : around + Math.max(0, quoted[2].indexOf(quoted[1]));
}

/** Reads a CSL-JSON bibliography (an array of items, the format Zotero and Pandoc exchange). */
function parseCslJson(path: string, text: string): ParsedBibliography {
  const lines = new LineIndex(text);
  const problems: CorpusProblem[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = jsonErrorOffset(message, text);
    const range = at !== undefined ? lines.range(at, at + 1) : undefined;
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

const BIBTEX_TYPES: Record<string, string> = {
  article: 'article-journal',
  book: 'book',
  inbook: 'chapter',
  incollection: 'chapter',
  inproceedings: 'paper-conference',
  conference: 'paper-conference',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  techreport: 'report',
  online: 'webpage',
  misc: 'document',
};

function field(entry: BibtexEntry, name: string): string | undefined {
  const value = entry[name.toUpperCase()];
  return value === undefined ? undefined : String(value).trim();
}

/** `Korybko, Andrew and Anne Smith` → CSL names. */
function bibtexNames(value: string | undefined): CslName[] | undefined {
  if (!value) return undefined;
  return value.split(/\s+and\s+/u).map((name) => {
    const [family, given] = name.includes(',') ? name.split(/,\s*/u, 2) : [name.split(/\s+/u).pop() ?? name, name.split(/\s+/u).slice(0, -1).join(' ')];
    return given ? { family, given } : { literal: family };
  });
}

function bibtexToCsl(entry: BibtexEntry): CslItem {
  const year = Number(field(entry, 'year'));
  const item: CslItem = {
    id: entry.key,
    type: BIBTEX_TYPES[entry.type.toLowerCase()] ?? 'document',
    title: field(entry, 'title'),
    author: bibtexNames(field(entry, 'author')),
    'container-title': field(entry, 'journal') ?? field(entry, 'journaltitle') ?? field(entry, 'booktitle'),
    publisher: field(entry, 'publisher') ?? field(entry, 'institution'),
    URL: field(entry, 'url'),
    note: field(entry, 'note'),
  };
  // BibLaTeX (and Better BibTeX) write `date = {2021-08-16}`; BibTeX only a year.
  const date = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/u.exec(field(entry, 'date') ?? '');
  if (date) item.issued = { 'date-parts': [date.slice(1).filter((part) => part !== undefined).map(Number)] };
  else if (Number.isInteger(year)) item.issued = { 'date-parts': [[year]] };
  return item;
}

/**
 * A `"` value never closed (`title = "X,`): the parser may still read the entry, taking `"X` for a string
 * macro's name and dropping the rest of the value, so it is looked for even when the entry parses. Quotes
 * delimit only at the entry's own level (inside braces they are text); the scan stops where the entry closes,
 * since text between entries is a comment. `open` is a quote left open at the end; `swallowing` the first
 * closed value that runs over a line starting `name =` — its opening quote took the next field in, so when
 * quotes do not pair up it is the likelier slip.
 */
function unpairedQuotes(chunk: string): { open?: number; swallowing?: number } {
  const opening = /^\s*@\w+\s*([{(])/u.exec(chunk);
  if (!opening) return {};
  const entryLevel = opening[1] === '{' ? 1 : 0;
  let depth = entryLevel;
  let open: number | undefined;
  let swallowing: number | undefined;
  for (let i = opening[0].length; i < chunk.length && depth >= entryLevel; i++) {
    const char = chunk[i];
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === ')' && depth === 0 && open === undefined) break;
    else if (char === '"' && depth === entryLevel) {
      if (open === undefined) open = i;
      else {
        if (swallowing === undefined && /\n\s*[A-Za-z][\w-]*\s*=/u.test(chunk.slice(open, i))) swallowing = open;
        open = undefined;
      }
    }
  }
  return { open, swallowing };
}

const UNCLOSED_QUOTE = 'this \'"\' is never closed, so the value runs on into the rest of the entry';

/**
 * The usual slips that make an entry unreadable, found where they are: the parser itself, backtracking, blames
 * the entry's `@`. A `{` never closed (`title = {Unclosed`), the innermost one; a key, or a field's finished
 * value, with no comma before the next field.
 */
function bibtexMistake(chunk: string): { at: number; message: string } | undefined {
  const open: number[] = [];
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === '\\') i++;
    else if (chunk[i] === '{') open.push(i);
    else if (chunk[i] === '}') open.pop();
  }
  const quotes = unpairedQuotes(chunk);
  const quote = quotes.swallowing ?? quotes.open;
  if (quote !== undefined) return { at: quote, message: UNCLOSED_QUOTE };
  // The entry's own brace is left open too when an inner one swallowed its closing brace: the inner one is the slip.
  if (open.length > 0) return { at: open[open.length - 1], message: 'this "{" is never closed, so the entry runs on to the next one or the end of the file' };
  const afterKey = /^\s*@\w+\s*[{(]\s*[^,\s{}()]+(?=\s*\r?\n\s*[A-Za-z][\w-]*\s*=)/u.exec(chunk);
  if (afterKey) return { at: afterKey[0].length - 1, message: 'a comma is missing after the key, before the first field' };
  const missing = /[}"\d][ \t]*\r?\n\s*[A-Za-z][\w-]*\s*=/u.exec(chunk);
  if (missing) return { at: missing.index, message: 'a comma is missing after this field, before the next one' };
  return undefined;
}

/**
 * Reads a BibTeX bibliography. Each entry is parsed on its own, so one
 * malformed entry is reported (with its line) and the others still count.
 */
function parseBibtex(path: string, text: string): ParsedBibliography {
  const lines = new LineIndex(text);
  const result: ParsedBibliography = { entries: [], problems: [] };
  const starts = [...text.matchAll(/^[ \t]*@/gmu)].map((m) => m.index ?? 0);
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const chunk = text.slice(start, end);
    if (/^\s*@(?:comment|preamble|string)\b/iu.test(chunk)) return;
    const entryName = (): string => {
      const key = /^\s*@\w+\s*[{(]\s*([^,\s{}()]+)/u.exec(chunk)?.[1];
      return `Malformed BibTeX entry${key ? ` "${key}"` : ''}`;
    };
    const quotes = unpairedQuotes(chunk);
    const quote = quotes.open === undefined ? undefined : (quotes.swallowing ?? quotes.open);
    if (quote !== undefined) {
      result.problems.push({ path, range: lines.range(start + quote, start + quote + 1), severity: 'error', message: `${entryName()}: ${UNCLOSED_QUOTE}` });
      return;
    }
    try {
      for (const entry of bibtexEntries(chunk)) {
        const at = start + Math.max(0, chunk.indexOf(entry.key));
        const file = field(entry, 'file');
        result.entries.push({ item: bibtexToCsl(entry), range: lines.range(at, at + entry.key.length), attachments: file ? attachmentPaths(file) : undefined });
      }
    } catch (error) {
      const entry = entryName();
      const cause = bibtexMistake(chunk);
      if (cause) {
        result.problems.push({ path, range: lines.range(start + cause.at, start + cause.at + 1), severity: 'error', message: `${entry}: ${cause.message}` });
        return;
      }
      const offset = start + ((error as BibtexSyntaxError).location?.start.offset ?? 0);
      const message = error instanceof Error ? error.message : String(error);
      result.problems.push({ path, range: lines.range(offset, offset + 1), severity: 'error', message: `${entry}: ${message}` });
    }
  });
  return result;
}

/**
 * A CSL YAML date as Pandoc reads one: `2021-08-16` (or a year, or a year and
 * month), a list of `{year, month, day}`, or CSL-JSON's `date-parts`.
 */
function cslYamlDate(value: unknown): CslItem['issued'] | undefined {
  if (typeof value === 'number') return { 'date-parts': [[value]] };
  if (typeof value === 'string') {
    const date = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/u.exec(value);
    return date ? { 'date-parts': [date.slice(1).filter((part) => part !== undefined).map(Number)] } : { literal: value };
  }
  if (Array.isArray(value)) {
    const first = value[0] as { year?: unknown; month?: unknown; day?: unknown } | undefined;
    const parts = [first?.year, first?.month, first?.day].filter((part) => part !== undefined).map(Number);
    return parts.length > 0 && parts.every(Number.isInteger) ? { 'date-parts': [parts] } : undefined;
  }
  if (typeof value === 'object' && value !== null) return value;
  return undefined;
}

/**
 * CSL items written in YAML (a front matter's `references:`, or a CSL YAML
 * file's): each entry with its range in `text` (offsets shifted by `offset`,
 * where the YAML stands in a larger text). An entry with no `id` is a problem
 * on that entry.
 */
export function cslYamlEntries(path: string, list: YamlNode, lines: LineIndex, offset = 0): ParsedBibliography {
  const result: ParsedBibliography = { entries: [], problems: [] };
  const rangeOf = (node: YamlNode | null | undefined, fallback: YamlNode): Range => {
    const [start, end] = (node ?? fallback).range ?? [0, 0];
    return lines.range(offset + start, offset + Math.max(start + 1, end));
  };
  if (!isSeq(list)) {
    result.problems.push({ path, range: rangeOf(list, list), severity: 'error', message: '"references" must be a list of CSL entries' });
    return result;
  }
  list.items.forEach((node, i) => {
    const entry = node as YamlNode;
    const id = isMap(entry) ? entry.get('id', true) : undefined;
    const fields = isMap(entry) ? (entry.toJSON() as Record<string, unknown>) : undefined;
    const key = fields?.id;
    if (!fields || (typeof key !== 'string' && typeof key !== 'number')) {
      result.problems.push({ path, range: rangeOf(entry, list), severity: 'error', message: `Reference ${i + 1} has no "id"` });
      return;
    }
    const item: CslItem = { ...fields, id: String(key), issued: cslYamlDate(fields.issued) };
    result.entries.push({ item, range: rangeOf(id, entry) });
  });
  return result;
}

/** Reads a CSL YAML bibliography (Pandoc's: a YAML document whose `references` is the list of entries). */
function parseCslYaml(path: string, text: string): ParsedBibliography {
  const lines = new LineIndex(text);
  const document = parseDocument(text.replace(/^\ufeff/u, ''));
  const error = document.errors[0];
  if (error) {
    const [start, end] = error.pos;
    return { entries: [], problems: [{ path, range: lines.range(start, Math.max(start + 1, end)), severity: 'error', message: `Bibliography is not valid YAML: ${error.message.split('\n')[0]}` }] };
  }
  const references = isMap(document.contents) ? document.contents.get('references', true) : undefined;
  if (!references) return { entries: [], problems: [{ path, range: lines.range(0, 1), severity: 'error', message: 'A CSL YAML bibliography must have a "references" list' }] };
  return cslYamlEntries(path, references as YamlNode, lines);
}

/** The bibliography formats read, by extension, as Pandoc tells them apart. */
export const BIBLIOGRAPHY_FORMATS: readonly { pattern: RegExp; parse: (path: string, text: string) => ParsedBibliography }[] = [
  { pattern: /\.(bib|bibtex)$/iu, parse: parseBibtex },
  { pattern: /\.json$/iu, parse: parseCslJson },
  { pattern: /\.ya?ml$/iu, parse: parseCslYaml },
];

/** A bibliography file of any format read, by its extension (CSL-JSON when it has none of theirs). */
export function parseBibliography(path: string, text: string): ParsedBibliography {
  return (BIBLIOGRAPHY_FORMATS.find((format) => format.pattern.test(path))?.parse ?? parseCslJson)(path, text);
}
