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
 *
 * Around Readability, measured on real manual pages and made-up news pages
 * (test/engine/corpus/extract/html.test.ts): code blocks are taken out first (they are not
 * paragraphs, and they skew its scoring); section headings it leaves beside
 * the article go back in; and in its result, lists that are only links,
 * `<nav>`, newsletter/donation/promotion boxes, link bars in blocks it would
 * call unlikely, and hover-only permalinks are not text.
 */

export interface HtmlOptions {
  /** Where the page was saved from: the document's URL, against which Readability resolves links. */
  readonly url?: string;
}

/** The DOM members used to move nodes about, which linkedom's elements have. */
interface PageElement extends DomElement {
  readonly nextElementSibling: PageElement | null;
  contains(other: PageElement): boolean;
  before(node: PageElement): void;
  remove(): void;
}

interface PageDocument extends DomNode, QueryRoot {
  readonly body: PageElement | null;
  querySelectorAll(selectors: string): ArrayLike<PageElement>;
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

/**
 * linkedom builds no `<body>` for markup without one (a fragment, or a page
 * that leaves it implied, as HTML allows), and the text would stand outside
 * the body Readability reads: such markup is put in one.
 */
function withBody(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  const head = /<head[\s>][\s\S]*?<\/head\s*>/i.exec(html)?.[0] ?? '';
  const rest = html.replace(/<!DOCTYPE[^>]*>|<\/?html(?:\s[^>]*)?>|<head[\s>][\s\S]*?<\/head\s*>/gi, '');
  return `<!DOCTYPE html><html>${head}<body>${rest}</body></html>`;
}

function parsePage(html: string, url: string | undefined): PageDocument {
  let location: URL | undefined;
  try {
    location = url === undefined ? undefined : new URL(url);
  } catch {
    location = undefined;
  }
  // linkedom's document has no `documentURI`, and its `baseURI` is the `<base>` element or the window's location:
  // Readability compares the two before resolving links, so both are set to the page's own address.
  const window = parseHTML(withBody(html), location ? { location } : {}) as unknown as { document: PageDocument };
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

/** Readability's own test for blocks that are unlikely to be the article, by class and id (its `unlikelyCandidates` and `okMaybeItsACandidate`). */
const UNLIKELY =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote/i;
const MAYBE_ARTICLE = /and|article|body|column|content|main|shadow/i;
/** Readability's class and id words that weigh against a block (its `negative`), which take a heading out (`_cleanHeaders`). */
const NEGATIVE =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget/i;

/**
 * A block Readability's first pass strips as unlikely to be the article (a
 * header, footer, menu, comment, sidebar, …). When a page's article is shorter
 * than `CHAR_THRESHOLD`, Readability gives up that filter and runs again, and
 * the chrome comes back with the text (a manual page's "Next: … Previous: …"
 * bar); applied once more to the result, it leaves the short article alone.
 */
function isUnlikely(element: DomElement): boolean {
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  return UNLIKELY.test(names) && !MAYBE_ARTICLE.test(names);
}

/**
 * Such a block that is mostly links: a navigation bar. Only these, because a
 * page whose text really is in such a block (a forum thread, all "comments")
 * is what Readability's second pass is for.
 */
function isUnlikelyNavigation(element: DomElement): boolean {
  if (!isUnlikely(element)) return false;
  const text = letters(element.textContent).length;
  const links = element.querySelectorAll('a');
  let linked = 0;
  for (let i = 0; i < links.length; i++) linked += letters(links[i].textContent).length;
  return text > 0 && linked / text > 0.5;
}

/**
 * Section headings beside the block Readability keeps as the article are left
 * behind (it appends a sibling only if it scored as text, and headings don't),
 * so a manual page loses "2.3.1 Primitive Types" above its list. Each heading
 * (h2–h6) whose next element went into the article goes back in front of it,
 * unless its class or id says it is chrome, by Readability's own words (a
 * title heading Readability took out goes back to where it stood, and is then
 * not put in front again).
 */
function restoreHeadings(content: PageElement, headings: readonly (readonly [PageElement, PageElement])[]): void {
  for (const [heading, next] of headings) {
    if (content.contains(heading) || !content.contains(next)) continue;
    next.before(heading);
  }
}

/** Each h2–h6 with its next element, before Readability moves them. */
function headingSiblings(document: PageDocument): [PageElement, PageElement][] {
  const pairs: [PageElement, PageElement][] = [];
  const headings = document.querySelectorAll('h2, h3, h4, h5, h6');
  for (let i = 0; i < headings.length; i++) {
    const heading = headings[i];
    const next = heading.nextElementSibling;
    const names = `${heading.getAttribute('class') ?? ''} ${heading.getAttribute('id') ?? ''}`;
    if (!next || isUnlikely(heading) || isPromotion(heading) || NEGATIVE.test(names.trim())) continue;
    pairs.push([heading, next]);
  }
  return pairs;
}

/** A permalink beside a heading or definition (`¶`, `§`, `#`), which Sphinx, Texinfo and Node.js's pages show only on hover. */
function isPermalink(element: DomElement): boolean {
  if (element.localName.toLowerCase() !== 'a' || !(element.getAttribute('href') ?? '').startsWith('#')) return false;
  const text = (element.textContent ?? '').trim();
  return text === '\u00b6' || text === '\u00a7' || text === '#';
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

/**
 * The visible heading that is the page's title: the first `<h1>` most of
 * whose words are in a title (Readability's test), else the first such
 * `<h2>`. A heading that is the site's name ("Daily News" above "A Headline |
 * Daily News") passes that test, so a heading the page names as its publisher
 * is not its title.
 */
function titleHeading(headings: readonly (readonly string[])[], titles: readonly string[], publisher: string | undefined): string | undefined {
  const isSiteName = (text: string): boolean =>
    publisher !== undefined && similarity(publisher, text) > TITLE_SIMILARITY && similarity(text, publisher) > TITLE_SIMILARITY;
  for (const level of headings) {
    const heading = level.find((text) => !isSiteName(text) && titles.some((title) => similarity(title, text) > TITLE_SIMILARITY));
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
  // Read before Readability edits the page (it removes scripts, JSON-LD among them, and the title heading).
  const metadata = pageMetadata(document);
  const headings = [headingTexts(document, 'h1'), headingTexts(document, 'h2')];
  const sections = headingSiblings(document);

  // Code blocks are not paragraphs (blocks.ts); left in, a long one outscores the prose around it and Readability
  // keeps the code's box as the article, without the section's heading.
  const code = document.querySelectorAll('pre, listing, xmp, plaintext');
  for (let i = code.length - 1; i >= 0; i--) code[i].remove();

  const reader = new Readability<PageElement>(document, {
    charThreshold: CHAR_THRESHOLD,
    // Class names are what tells a newsletter box from the text (`isPromotion`); Readability strips them by default.
    keepClasses: true,
    // The article element itself, not its HTML: no second parse.
    serializer: (node: unknown) => node as PageElement,
  });
  const article = reader.parse();
  const content = article?.content ?? document.body;
  if (article?.content) restoreHeadings(article.content, sections);
  const paragraphs = content
    ? blockParagraphs(content, {
        skip: (element) => isNavigation(element) || isPromotion(element) || isUnlikelyNavigation(element) || isPermalink(element),
      })
    : [];

  const titles = [article?.title, metadata.title].filter((title): title is string => typeof title === 'string' && title.length > 0);
  const heading = titleHeading(headings, titles, metadata.publisher);
  if (heading !== undefined && !paragraphs.includes(heading)) paragraphs.unshift(heading);

  return { text: paragraphLines(paragraphs), metadata };
}
