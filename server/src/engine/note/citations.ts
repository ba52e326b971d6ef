/**
 * Pandoc citation syntax, read from a block's prose:
 * `[@key]`, `[see @key, ¶ 3, for context]`, `[@a; -@b, paras. 5–6]`,
 * narrative `@key` (optionally followed by `[¶ 4]`).
 */

export interface Span {
  start: number;
  end: number;
}

interface LocatorBase extends Span {
  /** The locator as written, e.g. `¶ 4`, `paras. 5–6` or `p. 12`. */
  readonly text: string;
}

/** `¶ 4`, `paras. 5–6`: checked against every source. */
export interface ParagraphLocator extends LocatorBase {
  readonly kind: 'paragraph';
  /** The paragraph numbers named, or undefined when they cannot be read. */
  readonly paragraphs?: readonly number[];
  /** The span of the numbers (what a fix replaces). */
  readonly numbers?: Span;
}

/** A page range by the document's own labels: `233`, `iv`, `T-1`. */
export interface PageRange {
  readonly first: string;
  readonly last: string;
}

/** `p. 12`, `pp. 12–13`, `page iv`, or a bare `12` (Pandoc assumes pages): checked against sources that have pages. */
export interface PageLocator extends LocatorBase {
  readonly kind: 'page';
  /** The pages named, or undefined when they cannot be read. */
  readonly pages?: readonly PageRange[];
  /** The span of the page labels (what a fix replaces). */
  readonly numbers: Span;
}

/** Chapters, sections, lines…: kept, not checked. */
export interface OtherLocator extends LocatorBase {
  readonly kind: 'other';
}

export type Locator = ParagraphLocator | PageLocator | OtherLocator;

/** The locator with its spans moved by `move` (into document offsets, or by a unit's offset). */
export function moveLocator(locator: Locator, move: (span: Span) => Span): Locator {
  switch (locator.kind) {
    case 'paragraph':
      return { ...locator, ...move(locator), numbers: locator.numbers && move(locator.numbers) };
    case 'page':
      return { ...locator, ...move(locator), numbers: move(locator.numbers) };
    case 'other':
      return { ...locator, ...move(locator) };
  }
}

export interface CitationItem {
  readonly key: string;
  /** Span of `@key` (including `@`). */
  readonly keySpan: Span;
  readonly suppressAuthor: boolean;
  readonly prefix: string;
  readonly suffix: string;
  readonly locator?: Locator;
}

export interface CitationGroup extends Span {
  readonly kind: 'bracketed' | 'narrative';
  readonly items: readonly CitationItem[];
}

/**
 * Where a block's prose came from: citation keys are read from the written
 * characters, as Pandoc reads them, so an escape (`@key\_x`), emphasis
 * (`@e*f*`) or an entity (`&#64;key`) ends or prevents a key just as it does
 * for Pandoc. Without it the text is its own source.
 */
export interface WrittenText {
  readonly document: string;
  /** Document offset of prose position `index`. */
  documentOffset(index: number): number;
  /** The first prose position at or after document offset `offset`. */
  proseIndex(offset: number): number;
}

/**
 * Pandoc's citation key: a letter, digit or `_`, then key characters, internal
 * punctuation followed by a key character, or `:` and `/` followed by `/`
 * (`https://…`).
 */
const KEY = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_])|[:/](?=\/))*/u;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;

/** `@{…}`: the key between balanced braces, which may not hold white space. Returns the written length with the braces. */
function bracedKeyLength(source: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < source.length && i < open + 2048; i++) {
    const ch = source[i];
    if (/\s/u.test(ch)) return undefined;
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i - open + 1;
  }
  return undefined;
}

/**
 * Whether an `@` at `at` follows a word, which makes it no citation
 * (`user@example.com`, `e.g.@key`): Pandoc reads a citation only where no
 * word (letters, digits and single periods) ends right before the `@`. An
 * ellipsis (`...@key`) is no word.
 */
function followsWord(source: string, at: number): boolean {
  const before = source[at - 1];
  if (before === undefined) return false;
  if (before === '.') return !(source[at - 2] === '.' && source[at - 3] === '.');
  return ALPHANUMERIC.test(before);
}

const PARAGRAPH_LABEL = /^(¶¶?|paras?\.?|paragraphs?|pars?\.)(?=[\s\d]|$)\s*/iu;
const PAGE_LABEL = /^(?:pages?(?=\s|\d)|pp?\.(?=[\s\p{L}\p{N}])|pp?(?=\s|\d))\s*/iu;
/** A page label: a number, roman numerals, or a lettered number such as `T-1` or `A.3`. */
const PAGE = String.raw`(?:\p{Lu}{1,3}[-.]?\d+|\d+|[ivxlcdm]+|[IVXLCDM]+)(?![\p{L}\p{N}])`;
const PAGE_PART = new RegExp(String.raw`^\s*(${PAGE})(?:\s*[-–—]\s*(${PAGE}))?`, 'u');
const PAGE_SEPARATOR = /^\s*(?:,|and\b|&)/u;

/**
 * The pages at `from`: `12`, `12–13`, `3, 5–6`, `iv`, `T-1–T-3`; a shortened
 * range (`233–45`) is completed from its first page (`233–245`). Stops at the
 * first thing that is no page (`, for context`).
 */
function readPages(text: string, from: number, to: number): { pages: PageRange[]; end: number } | undefined {
  const pages: PageRange[] = [];
  let at = from;
  let end = from;
  for (;;) {
    const part = PAGE_PART.exec(text.slice(at, to));
    if (!part) break;
    const first = part[1];
    let last = part[2] ?? first;
    if (/^\d+$/u.test(first) && /^\d+$/u.test(last) && last.length < first.length) last = first.slice(0, first.length - last.length) + last;
    pages.push({ first, last });
    end = at + part[0].length;
    const separator = PAGE_SEPARATOR.exec(text.slice(end, to));
    if (!separator || !PAGE_PART.test(text.slice(end + separator[0].length, to))) break;
    at = end + separator[0].length;
  }
  return pages.length > 0 ? { pages, end } : undefined;
}

const OTHER_LABEL =
  /^(chap|chaps|chapter|chapters|sec|secs|section|sections|line|lines|l|ll|fig|figs|vol|vols|col|cols|n|nn|note|notes|v|vv|verse|verses|book|books|part|parts|no|nos|op|opus|art|arts|bk|bks|pt|pts|fol|fols|sv|s\.v)\.?(?=\s|\d)/iu;
const NUMBERS = /^\d+(?:\s*[-–—]\s*\d+)?(?:\s*(?:,|and|&)\s*\d+(?:\s*[-–—]\s*\d+)?)*/u;

/** The citation key whose `@` stands at prose position `at`, and the prose position after it. */
function readKey(text: string, at: number, written?: WrittenText): { key: string; end: number } | undefined {
  if (text[at] !== '@') return undefined;
  const source = written?.document ?? text;
  const atSource = written ? written.documentOffset(at) : at;
  // An `@` that is not written as one (`&#64;`, `\@`) starts no citation.
  if (source[atSource] !== '@' || followsWord(source, atSource)) return undefined;
  let key: string;
  let length: number;
  if (source[atSource + 1] === '{') {
    const braced = bracedKeyLength(source, atSource + 1);
    if (braced === undefined) return undefined;
    key = source.slice(atSource + 2, atSource + braced);
    length = braced;
  } else {
    const match = KEY.exec(source.slice(atSource + 1, atSource + 1 + 512));
    if (!match) return undefined;
    key = match[0];
    length = key.length;
  }
  const endSource = atSource + 1 + length;
  return { key, end: written ? written.proseIndex(endSource) : endSource };
}

function expandNumbers(spec: string): number[] | undefined {
  const numbers: number[] = [];
  for (const part of spec.split(/\s*(?:,|and|&)\s*/u)) {
    const range = /^(\d+)(?:\s*[-–—]\s*(\d+))?$/u.exec(part.trim());
    if (!range) return undefined;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to - from > 10000) return undefined;
    for (let n = from; n <= to; n++) numbers.push(n);
  }
  return numbers;
}

/** Reads a locator at the start of a suffix (after an optional comma). */
function readLocator(text: string, from: number, to: number): Locator | undefined {
  const lead = /^[\s,]*/u.exec(text.slice(from, to))?.[0].length ?? 0;
  const start = from + lead;
  const rest = text.slice(start, to);
  const label = PARAGRAPH_LABEL.exec(rest);
  if (label) {
    const afterLabel = start + label[0].length;
    const numbers = NUMBERS.exec(text.slice(afterLabel, to));
    if (!numbers) {
      const word = /^[^\s,;\]]*/u.exec(text.slice(afterLabel, to))?.[0] ?? '';
      const end = afterLabel + word.length;
      return { start, end, text: text.slice(start, end).trim(), kind: 'paragraph', paragraphs: undefined };
    }
    let end = afterLabel + numbers[0].length;
    const trailing = text.slice(end, to);
    // `¶ 3a` or `¶ 3.5` cannot be read as paragraph numbers, nor can the unfinished range `¶ 5–`.
    const unreadable = (/^[\p{L}\p{N}.]/u.test(trailing) && !/^\.(\s|$)/u.test(trailing)) || /^[-–—]\s*$/u.test(trailing);
    // An unreadable locator is reported as written (`¶ 3a`, not `¶ 3`).
    if (unreadable) end += /^[^\s,;\]]*/u.exec(trailing)?.[0].length ?? 0;
    return {
      start,
      end,
      text: text.slice(start, end),
      kind: 'paragraph',
      paragraphs: unreadable ? undefined : expandNumbers(numbers[0]),
      numbers: { start: afterLabel, end },
    };
  }
  const pageLabel = PAGE_LABEL.exec(rest);
  if (pageLabel) {
    const afterLabel = start + pageLabel[0].length;
    const read = readPages(text, afterLabel, to);
    const trailing = read ? text.slice(read.end, to) : '';
    // `p. 4a`, `p. five` or an unfinished `pp. 5–` cannot be read as pages; reported as written.
    if (!read || /^[\p{L}\p{N}]/u.test(trailing) || /^\s*[-–—]\s*$/u.test(trailing)) {
      const end = afterLabel + (/^[^,;\]]*/u.exec(text.slice(afterLabel, to))?.[0].trimEnd().length ?? 0);
      return { start, end, text: text.slice(start, end), kind: 'page', pages: undefined, numbers: { start: afterLabel, end } };
    }
    return { start, end: read.end, text: text.slice(start, read.end), kind: 'page', pages: read.pages, numbers: { start: afterLabel, end: read.end } };
  }
  const other = OTHER_LABEL.exec(rest);
  if (other) {
    const tail = /^[^,;\]]*/u.exec(rest)?.[0] ?? '';
    return { start, end: start + tail.trimEnd().length, text: tail.trim(), kind: 'other' };
  }
  // Pandoc: "If no locator term is used, 'page' is assumed" — `[@key, 33]` is page 33, not ¶ 33.
  const bare = NUMBERS.exec(rest) ? readPages(text, start, to) : undefined;
  if (bare) return { start, end: bare.end, text: text.slice(start, bare.end), kind: 'page', pages: bare.pages, numbers: { start, end: bare.end } };
  return undefined;
}

function parseBracketed(text: string, open: number, close: number, written?: WrittenText): CitationGroup | undefined {
  const items: CitationItem[] = [];
  let partStart = open + 1;
  const parts: Span[] = [];
  for (let i = open + 1; i <= close; i++) {
    if (i === close || text[i] === ';') {
      parts.push({ start: partStart, end: i });
      partStart = i + 1;
    }
  }
  for (const part of parts) {
    const keys: { at: number; key: string; end: number }[] = [];
    for (let i = part.start; i < part.end; i++) {
      if (text[i] !== '@') continue;
      const key = readKey(text, i, written);
      if (key) {
        keys.push({ at: i, ...key });
        i = key.end - 1;
      }
    }
    // Pandoc reads a bracket as a citation only when every part names a key.
    const [found, ...inSuffix] = keys;
    if (!found) return undefined;
    const suppressAuthor = text[found.at - 1] === '-';
    const prefixEnd = suppressAuthor ? found.at - 1 : found.at;
    items.push({
      key: found.key,
      keySpan: { start: found.at, end: found.end },
      suppressAuthor,
      prefix: text.slice(part.start, prefixEnd).trim(),
      suffix: text.slice(found.end, part.end).trim(),
      locator: readLocator(text, found.end, part.end),
    });
    // A further `@key` in the suffix (`[@a, cf. @b]`, `[@c @d]`) is, to Pandoc, an in-text citation inside it: one more source of the group.
    for (const other of inSuffix) {
      items.push({ key: other.key, keySpan: { start: other.at, end: other.end }, suppressAuthor: text[other.at - 1] === '-', prefix: '', suffix: '' });
    }
  }
  return { kind: 'bracketed', start: open, end: close + 1, items };
}

/** Every citation group in a block's prose, in order; `written` is where the prose came from (see `WrittenText`). */
export function parseCitations(text: string, written?: WrittenText): CitationGroup[] {
  const groups: CitationGroup[] = [];
  const taken: Span[] = [];
  // One backward pass gives each position's next `]` and next `[`, and a running count of `@`, so a
  // paragraph of many brackets is read in linear time.
  const n = text.length;
  const nextClose = new Int32Array(n + 1).fill(-1);
  const nextOpen = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    nextClose[i] = text[i] === ']' ? i : nextClose[i + 1];
    nextOpen[i] = text[i] === '[' ? i : nextOpen[i + 1];
  }
  const ats = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ats[i + 1] = ats[i] + (text[i] === '@' ? 1 : 0);
  for (let open = nextOpen[0]; open >= 0; open = nextOpen[open + 1]) {
    const close = nextClose[open + 1];
    if (close < 0) break;
    const nested = nextOpen[open + 1];
    if (nested >= 0 && nested < close) continue;
    if (ats[close] === ats[open]) continue;
    const group = parseBracketed(text, open, close, written);
    if (group) {
      groups.push(group);
      taken.push(group);
    }
  }
  let inside = 0;
  // After a key, the search goes on past it: an `@` inside a braced key (`@{https://medium.com/@writer}`) starts nothing.
  for (let at = text.indexOf('@'), next = at + 1; at >= 0; at = text.indexOf('@', next), next = at + 1) {
    while (inside < taken.length && taken[inside].end <= at) inside++;
    if (inside < taken.length && at >= taken[inside].start) continue;
    const key = readKey(text, at, written);
    if (!key) continue;
    next = key.end;
    let end = key.end;
    let locator: Locator | undefined;
    // `@key [¶ 4]`: a bracket right after a narrative citation is its locator.
    const after = /^ ?\[([^\]@[]*)\]/u.exec(text.slice(key.end, key.end + 200));
    if (after) {
      const bracketStart = key.end + after[0].indexOf('[');
      locator = readLocator(text, bracketStart + 1, bracketStart + 1 + after[1].length);
      if (locator) end = key.end + after[0].length;
    }
    groups.push({
      kind: 'narrative',
      start: at,
      end,
      items: [{ key: key.key, keySpan: { start: at, end: key.end }, suppressAuthor: false, prefix: '', suffix: locator ? locator.text : '', locator }],
    });
  }
  return groups.sort((a, b) => a.start - b.start);
}
