import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { blockParagraphs, inlineText, paragraphLines, type DomElement, type DomNode } from './blocks.js';
import type { ExtractedText } from './extracted.js';
import { pageMetadata, type QueryRoot } from './page-metadata.js';

/**
 * A saved web page (`.html`, `.htm`) as a source: the article reader-mode
 * style — Readability, the algorithm behind Firefox's Reader View, run over a
 * linkedom document — so that navigation, cookie banners, share bars, related
 * links, newsletter boxes and comments are left out; then the article's blocks
 * become paragraph lines (`blocks.ts`).
 *
 * ¶ 1 is the article's title heading, as in a plain-text source whose title
 * line is ¶ 1: Readability takes the `<h1>` (or `<h2>`) that repeats the
 * page's title out of the article, so it is put back in front. A page with no
 * heading like its title starts at its first article paragraph.
 */

export interface HtmlOptions {
  /** Where the page was saved from: the document's URL, against which Readability resolves links. */
  readonly url?: string;
}

interface PageDocument extends DomNode, QueryRoot {
  readonly body: DomElement | null;
}

/**
 * Readability's own fallback, when the first pass finds less than this much
 * article text, is to run again with fewer filters (unlikely-looking blocks —
 * menus, comments, footers — no longer stripped). Its default, 500
 * characters, turns every short page into a page with its chrome; a short
 * article still has a few sentences.
 */
const CHAR_THRESHOLD = 200;

/** How alike a heading and the page's title must be to be its title heading (Readability's own measure and bar). */
const TITLE_SIMILARITY = 0.75;

function parsePage(html: string, url: string | undefined): PageDocument {
  let location: URL | undefined;
  try {
    location = url === undefined ? undefined : new URL(url);
  } catch {
    location = undefined;
  }
  // linkedom's document has no `documentURI`, and its `baseURI` is the `<base>` element or the window's location:
  // Readability compares the two before resolving links, so both are set to the page's own address.
  const window = parseHTML(html, location ? { location } : {}) as unknown as { document: PageDocument };
  const document = window.document;
  Object.defineProperty(document, 'documentURI', { value: location?.href ?? 'about:blank', configurable: true });
  return document;
}

/** Letters of a text, without digits, punctuation, symbols or spaces: what says whether a list is only links. */
function letters(text: string | null): string {
  return (text ?? '').replace(/[\s\p{P}\p{S}\p{N}]+/gu, '');
}

/**
 * Navigation that Readability keeps inside an article: `<nav>`, and lists
 * whose every word is a link (a table of contents, a manual's chapter menu,
 * "related articles"). Readability exempts lists from its link-density test;
 * their items are ways out of the text, not its prose.
 */
function isNavigation(element: DomElement): boolean {
  const tag = element.localName.toLowerCase();
  if (tag === 'nav') return true;
  if (tag !== 'ul' && tag !== 'ol' && tag !== 'menu') return false;
  const text = letters(element.textContent).length;
  if (text === 0) return false;
  const links = element.querySelectorAll('a');
  let linked = 0;
  for (let i = 0; i < links.length; i++) linked += letters(links[i].textContent).length;
  return linked >= text;
}

/** Class and id words that name a box around an article rather than its text, which Readability's own filters let through. */
const PROMOTION_WORDS = new Set([
  'newsletter', 'newsletters', 'subscribe', 'subscription', 'signup', 'donate', 'donation', 'donations', 'promo', 'promotion',
  'advert', 'advertisement', 'adsbygoogle', 'sponsored',
]);

/** A newsletter sign-up, subscription or donation box, a promotion or an advertisement, by what its class or id says. */
function isPromotion(element: DomElement): boolean {
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`.toLowerCase();
  if (names.trim().length === 0) return false;
  return names.split(/[\s_-]+/).some((word) => PROMOTION_WORDS.has(word));
}

/** Words of a title for comparison: lower case, letters and digits of any script. */
function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/** Readability's `_textSimilarity`: how much of `b`'s wording is in `a` (1 is all of it). */
function similarity(a: string, b: string): number {
  const wordsA = new Set(words(a));
  const wordsB = words(b);
  if (wordsA.size === 0 || wordsB.length === 0) return 0;
  const unique = wordsB.filter((word) => !wordsA.has(word));
  return 1 - unique.join(' ').length / wordsB.join(' ').length;
}

/** The visible heading that is the page's title: the first `<h1>` like it, else the first such `<h2>`. */
function titleHeading(headings: readonly (readonly string[])[], titles: readonly string[]): string | undefined {
  for (const level of headings) {
    const heading = level.find((text) => titles.some((title) => similarity(title, text) > TITLE_SIMILARITY));
    if (heading !== undefined) return heading;
  }
  return undefined;
}

function headingTexts(document: PageDocument, tag: string): string[] {
  const elements = document.querySelectorAll(tag);
  const texts: string[] = [];
  for (let i = 0; i < elements.length; i++) {
    const text = inlineText(elements[i]);
    if (text.length > 0) texts.push(text);
  }
  return texts;
}

/** The article text and metadata of a saved web page; never throws on malformed HTML (it is parsed as a browser would). */
export function extractHtml(html: string, options: HtmlOptions = {}): ExtractedText {
  const document = parsePage(html, options.url);
  // Both read the page before Readability edits it (it removes scripts, JSON-LD among them, and the title heading).
  const metadata = pageMetadata(document);
  const headings = [headingTexts(document, 'h1'), headingTexts(document, 'h2')];

  const reader = new Readability<DomElement>(document, {
    charThreshold: CHAR_THRESHOLD,
    // Class names are what tells a newsletter box from the text (`isPromotion`); Readability strips them by default.
    keepClasses: true,
    // The article element itself, not its HTML: no second parse.
    serializer: (node: unknown) => node as DomElement,
  });
  const article = reader.parse();
  const content = article?.content ?? document.body;
  const paragraphs = content ? blockParagraphs(content, { skip: (element) => isNavigation(element) || isPromotion(element) }) : [];

  const titles = [article?.title, metadata.title].filter((title): title is string => typeof title === 'string' && title.length > 0);
  const heading = titleHeading(headings, titles);
  if (heading !== undefined && !paragraphs.includes(heading)) paragraphs.unshift(heading);

  return { text: paragraphLines(paragraphs), metadata };
}
