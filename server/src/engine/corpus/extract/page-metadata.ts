import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import type { SourceMetadata } from '../bibliography.js';
import type { DomElement } from './blocks.js';

/**
 * What a saved web page says of itself: its title, author(s), date and
 * publisher, from the page's own metadata only — JSON-LD first (what
 * publishers write for search engines, the most specific), then `<meta>` tags
 * (Open Graph, Dublin Core, Highwire `citation_*`, plain `author`), then the
 * `<title>` element for the title.
 */

type Json = null | boolean | number | string | readonly Json[] | JsonObject;
interface JsonObject {
  readonly [key: string]: Json;
}

export interface QueryRoot {
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

/** schema.org types whose node is the article itself (Readability's list, plus the generic CreativeWork kinds a page is). */
const ARTICLE_TYPE =
  /^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$/;
const PAGE_TYPE = /^(?:WebPage|ItemPage|AboutPage|CreativeWork|Book|Chapter)$/;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined): readonly Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as readonly Json[]) : [value];
}

/** Publishers' JSON-LD often carries HTML entities (`&amp;`, `&#8217;`) inside its strings. */
function decodeEntities(text: string): string {
  return text.replace(/&(?:#[xX]([0-9a-fA-F]{1,6})|#(\d{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      const decoded = decodeNamedCharacterReference(name);
      return decoded === false ? whole : decoded;
    }
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/** A metadata value as one line: HTML white space collapsed, trimmed; empty is absent. */
function clean(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.replace(/[\t\n\f\r ]+/g, ' ').trim();
  return text.length > 0 ? text : undefined;
}

function jsonText(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? clean(decodeEntities(value)) : undefined;
}

function typesOf(node: JsonObject): string[] {
  return asArray(node['@type']).filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^(?:https?:\/\/)?schema\.org\//, ''));
}

/** Every JSON-LD node on the page: top-level objects, array members and `@graph` members. */
function jsonLdNodes(root: QueryRoot): JsonObject[] {
  const nodes: JsonObject[] = [];
  const add = (value: Json): void => {
    for (const item of asArray(value)) {
      if (!isObject(item)) continue;
      nodes.push(item);
      if (item['@graph'] !== undefined) add(item['@graph']);
    }
  };
  const scripts = root.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    // Some CMSs wrap the JSON in a CDATA section or an HTML comment.
    const source = (scripts[i].textContent ?? '').replace(/^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$/g, '');
    try {
      add(JSON.parse(source) as Json);
    } catch {
      // A page's broken JSON-LD is not the source's text: the other metadata still counts.
    }
  }
  return nodes;
}

interface JsonLdFacts {
  title?: string;
  authors: string[];
  date?: string;
  publisher?: string;
}

function jsonLdFacts(root: QueryRoot): JsonLdFacts {
  const nodes = jsonLdNodes(root);
  const byId = new Map<string, JsonObject>();
  for (const node of nodes) {
    if (typeof node['@id'] === 'string' && !byId.has(node['@id'])) byId.set(node['@id'], node);
  }
  // Yoast and others point at a Person or Organization elsewhere in the graph by `@id`.
  const resolve = (value: Json): Json => {
    if (isObject(value) && typeof value['@id'] === 'string' && value.name === undefined) return byId.get(value['@id']) ?? value;
    return value;
  };
  const nameOf = (value: Json): string | undefined => {
    const node = resolve(value);
    if (typeof node === 'string') return jsonText(node);
    if (!isObject(node)) return undefined;
    const name = asArray(node.name).map(jsonText).find((n) => n !== undefined);
    if (name) return name;
    const parts = [jsonText(node.givenName), jsonText(node.familyName)].filter((p) => p !== undefined);
    return parts.length > 0 ? parts.join(' ') : undefined;
  };
  const article = nodes.find((node) => typesOf(node).some((t) => ARTICLE_TYPE.test(t))) ?? nodes.find((node) => typesOf(node).some((t) => PAGE_TYPE.test(t)));
  if (!article) return { authors: [] };
  const authors = unique(
    [...asArray(article.author), ...asArray(article.creator)].map(nameOf).filter((n): n is string => n !== undefined),
  );
  return {
    title: jsonText(article.headline) ?? jsonText(article.name),
    authors,
    date: jsonText(article.datePublished) ?? jsonText(article.dateCreated),
    publisher: asArray(article.publisher).map(nameOf).find((n) => n !== undefined),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `<meta>` values by lower-cased `name` or `property`, in page order. */
function metaTags(root: QueryRoot): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  const metas = root.querySelectorAll('meta');
  for (let i = 0; i < metas.length; i++) {
    const meta = metas[i];
    const content = clean(meta.getAttribute('content'));
    if (content === undefined) continue;
    for (const attribute of ['name', 'property', 'itemprop']) {
      const key = meta.getAttribute(attribute)?.trim().toLowerCase();
      if (!key) continue;
      const values = tags.get(key) ?? [];
      values.push(content);
      tags.set(key, values);
    }
  }
  return tags;
}

function first(tags: Map<string, string[]>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = tags.get(key)?.[0];
    if (value !== undefined) return value;
  }
  return undefined;
}

const TITLE_KEYS = ['og:title', 'twitter:title', 'dc.title', 'dcterms.title', 'citation_title', 'title'];
const AUTHOR_KEYS = ['author', 'article:author', 'dc.creator', 'dcterms.creator', 'citation_author', 'parsely-author', 'sailthru.author'];
const DATE_KEYS = [
  'article:published_time', 'datepublished', 'citation_publication_date', 'citation_date', 'dc.date.issued', 'dcterms.issued',
  'dc.date', 'dcterms.date', 'date', 'pubdate', 'publish-date', 'parsely-pub-date', 'sailthru.date', 'og:published_time',
];
const PUBLISHER_KEYS = ['og:site_name', 'dc.publisher', 'dcterms.publisher', 'citation_publisher', 'application-name'];

/** The page's `<title>`, less a trailing (or leading) site name where the page names its site. */
function documentTitle(root: QueryRoot, publisher: string | undefined): string | undefined {
  const element = root.querySelectorAll('title')[0];
  const title = clean(element?.textContent);
  if (!title || !publisher || title === publisher) return title;
  for (const separator of [' | ', ' - ', ' – ', ' — ', ' :: ', ' · ', ' » ']) {
    if (title.endsWith(separator + publisher)) return title.slice(0, -(separator + publisher).length).trim() || title;
    if (title.startsWith(publisher + separator)) return title.slice((publisher + separator).length).trim() || title;
  }
  return title;
}

export function pageMetadata(root: QueryRoot): Partial<SourceMetadata> {
  const jsonLd = jsonLdFacts(root);
  const tags = metaTags(root);
  // `article:author` is usually a profile URL in Open Graph, not a name.
  const metaAuthors = AUTHOR_KEYS.flatMap((key) => tags.get(key) ?? []).filter((value) => !/^https?:\/\//i.test(value));
  const publisher = jsonLd.publisher ?? first(tags, PUBLISHER_KEYS);
  const timeElement = root.querySelectorAll('time[itemprop~="datePublished"], [itemprop~="datePublished"][datetime]')[0];
  const rawDate = jsonLd.date ?? first(tags, DATE_KEYS) ?? clean(timeElement?.getAttribute('datetime'));
  const metadata: Partial<SourceMetadata> = {
    title: jsonLd.title ?? first(tags, TITLE_KEYS) ?? documentTitle(root, publisher),
    authors: jsonLd.authors.length > 0 ? jsonLd.authors : unique(metaAuthors),
    date: rawDate === undefined ? undefined : normaliseDate(rawDate),
    publisher,
  };
  return withoutUndefined(metadata);
}

/** Leaves absent fields out, so `'date' in metadata` means the page states a date. */
export function withoutUndefined(metadata: Partial<SourceMetadata>): Partial<SourceMetadata> {
  const result: Partial<SourceMetadata> = {};
  if (metadata.title !== undefined) result.title = metadata.title;
  if (metadata.authors !== undefined && metadata.authors.length > 0) result.authors = metadata.authors;
  if (metadata.date !== undefined) result.date = metadata.date;
  if (metadata.publisher !== undefined) result.publisher = metadata.publisher;
  if (metadata.container !== undefined) result.container = metadata.container;
  return result;
}

function isoDay(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** An English month name or its abbreviation (`Aug`, `Sept`). */
function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((month) => lower.length >= 3 && month.startsWith(lower));
  return index < 0 ? undefined : index + 1;
}

/**
 * A stated date as `YYYY-MM-DD` when it names a full day: ISO 8601 dates and
 * date-times (the day as written, not moved to UTC: `2021-08-23T23:30-04:00`
 * is the 23rd, the publisher's own day), `2021/08/23`, `20210823`,
 * `23 August 2021`, `August 23, 2021`, RFC 2822 (`Mon, 23 Aug 2021 …`). A year
 * with a month (`2021-08`) or a year alone stays as it is, the way a CSL date
 * with fewer parts reads; anything else (`07/10/21`, which could be either
 * day first or month first) is kept as written.
 */
export function normaliseDate(value: string): string | undefined {
  const text = clean(value);
  if (text === undefined) return undefined;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/.exec(text) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:$|[T\s])/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})(?:$|T)/.exec(text);
  if (match) return isoDay(Number(match[1]), Number(match[2]), Number(match[3])) ?? text;
  if (/^\d{4}(?:-\d{2})?$/.test(text)) return text;
  match = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(text);
  if (match) {
    const month = monthNumber(match[2]);
    if (month !== undefined) return isoDay(Number(match[3]), month, Number(match[1])) ?? text;
  }
  match = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(text);
  if (match) {
    const month = monthNumber(match[1]);
    if (month !== undefined) return isoDay(Number(match[3]), month, Number(match[2])) ?? text;
  }
  return text;
}
