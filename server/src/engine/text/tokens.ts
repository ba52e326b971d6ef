import { decodeNamedCharacterReference } from 'decode-named-character-reference';

/**
 * Typographic tokenisation shared by sources and quotations.
 *
 * Two texts are "verbatim" equal when their token sequences are equal. The
 * tokeniser therefore applies exactly the typographic normalisations the
 * product promises — and nothing more: NFKC (ligatures, no-break spaces),
 * every quote mark and apostrophe as one mark, every dash and `--` as one dash,
 * `…` as `...`, any run of white space as a separator, markdown emphasis
 * markers dropped, HTML entities decoded. Spelling, numbers and letter case are
 * left alone.
 */

export const enum TokenKind {
  Word = 0,
  Punctuation = 1,
}

export interface Token {
  /** Normalised text: the unit of comparison. */
  readonly text: string;
  readonly kind: TokenKind;
  /** UTF-16 offsets into the original (unnormalised) text. */
  readonly start: number;
  readonly end: number;
}

export const QUOTE_MARK = '"';
export const DASH = '-';
export const ELLIPSIS = '…';

// Every language's quotation marks (see note/quotes.ts), including CJK corner brackets, are one mark.
const QUOTE_CHARS = new Set([..."\"'`´‘’‚‛“”„‟«»‹›′″ʼ「」『』〝〞〟"]);
const DASH_CHARS = new Set([...'-‐‑‒–—―−⸺⸻']);
/** Characters with no typographic weight: emphasis markers, invisible joiners, soft hyphens, BOM. */
const DROPPED_CHARS = new Set([...'*_\u200b\u200c\u200d\u2060\ufeff\u00ad']);

interface NormalisedText {
  text: string;
  /** For each UTF-16 unit of `text`, the original offset it came from. */
  starts: number[];
  /** For each UTF-16 unit of `text`, the original offset just past it. */
  ends: number[];
}

export const ENTITY = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;

export function decodeEntity(body: string): string | undefined {
  if (body.startsWith('#')) {
    const hex = body[1] === 'x' || body[1] === 'X';
    const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    return String.fromCodePoint(code);
  }
  const decoded = decodeNamedCharacterReference(body);
  return decoded === false ? undefined : decoded;
}

function mapCharacter(ch: string): string {
  if (QUOTE_CHARS.has(ch)) return QUOTE_MARK;
  if (DASH_CHARS.has(ch)) return DASH;
  if (DROPPED_CHARS.has(ch)) return '';
  if (/\s/u.test(ch)) return ' ';
  return ch;
}

/** What one character standing alone (no mark after it) normalises to: NFKC, then the marks above. */
function mappedAlone(code: number): string {
  let mapped = '';
  for (const ch of String.fromCharCode(code).normalize('NFKC')) mapped += mapCharacter(ch);
  return mapped;
}

const ASCII_MAPPED = Array.from({ length: 128 }, (_, code) => mappedAlone(code));
const mappedCache = new Map<number, string>();

function mappedCharacter(code: number): string {
  if (code < 128) return ASCII_MAPPED[code];
  let known = mappedCache.get(code);
  if (known === undefined) {
    known = mappedAlone(code);
    mappedCache.set(code, known);
  }
  return known;
}

/**
 * Applies the character-level normalisations, keeping a map back to the
 * original offsets. Each cluster (a character and the marks on it) is
 * normalised on its own; a character with no mark after it (nearly every one)
 * is mapped through a table of single characters instead of the cluster
 * pattern and NFKC.
 */
function normaliseText(original: string, options: { decodeEntities: boolean }): NormalisedText {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const length = original.length;
  let i = 0;
  while (i < length) {
    const c = original.charCodeAt(i);
    const alone = (c < 0xd800 || c > 0xdfff) && !isMarkCode(c) && !(options.decodeEntities && c === 38) && (i + 1 >= length || !isMarkCode(original.codePointAt(i + 1) ?? 0));
    if (alone) {
      const mapped = mappedCharacter(c);
      text += mapped;
      for (let k = 0; k < mapped.length; k++) {
        starts.push(i);
        ends.push(i + 1);
      }
      i++;
      continue;
    }
    CLUSTER.lastIndex = i;
    const match = CLUSTER.exec(original);
    if (match === null) break;
    const start = match.index;
    let cluster = match[0];
    let end = start + cluster.length;
    if (options.decodeEntities && cluster === '&') {
      const entity = ENTITY.exec(original.slice(start, start + 40));
      const decoded = entity ? decodeEntity(entity[1]) : undefined;
      if (entity && decoded !== undefined) {
        cluster = decoded;
        end = start + entity[0].length;
      }
    }
    for (const ch of cluster.normalize('NFKC')) {
      const mapped = mapCharacter(ch);
      text += mapped;
      for (let k = 0; k < mapped.length; k++) {
        starts.push(start);
        ends.push(end);
      }
    }
    i = end;
  }
  return { text, starts, ends };
}

export type TokenSink = (text: string, kind: TokenKind, start: number, end: number) => void;

/** A token's text, or null when it is exactly the source's characters between its offsets. */
export type TokenValue = string | null;
/**
 * Receives tokens with offsets in the scanned text; `hash` is the token text's
 * hash when `value` is null. Returning `false` stops the scan.
 */
export type RangeSink = (value: TokenValue, kind: TokenKind, start: number, end: number, hash: number) => void | boolean;

// ASCII classes for the scanner. Quote marks, white space and emphasis markers are read in place, so
// plain ASCII needs no normalised copy.
const SPACE = 1;
const WORD = 2;
const QUOTE = 3;
const SKIP = 4;
const ASCII_CLASS = new Uint8Array(128);
const ASCII_CHARS: string[] = [];
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_CHARS.push(ch);
  if (/\s/u.test(ch)) ASCII_CLASS[c] = SPACE;
  else if (/[A-Za-z0-9]/u.test(ch)) ASCII_CLASS[c] = WORD;
  else if (ch === '"' || ch === "'" || ch === '`') ASCII_CLASS[c] = QUOTE;
  else if (ch === '*' || ch === '_') ASCII_CLASS[c] = SKIP;
}
/** ASCII characters that may join a word to what follows: quote marks, `.` and `,` (between digits), emphasis markers. */
const JOINING = new Uint8Array(128);
for (const ch of `"'\`.,*_`) JOINING[ch.charCodeAt(0)] = 1;
const wordCharCache = new Map<number, boolean>();
const letterCache = new Map<number, boolean>();
const digitCache = new Map<number, boolean>();

function test(cache: Map<number, boolean>, pattern: RegExp, code: number): boolean {
  let known = cache.get(code);
  if (known === undefined) {
    known = pattern.test(String.fromCodePoint(code));
    cache.set(code, known);
  }
  return known;
}

const isWordCode = (code: number): boolean => (code < 128 ? ASCII_CLASS[code] === WORD : test(wordCharCache, /^[\p{L}\p{M}\p{N}]$/u, code));
const isLetterCode = (code: number): boolean =>
  code < 128 ? (code >= 65 && code <= 90) || (code >= 97 && code <= 122) : test(letterCache, /^[\p{L}\p{M}]$/u, code);
const isDigitCode = (code: number): boolean => (code < 128 ? code >= 48 && code <= 57 : test(digitCache, /^\p{N}$/u, code));
const unspacedCache = new Map<number, boolean>();
/**
 * Scripts written without spaces between words: Chinese and Japanese (each
 * ideograph or kana is a word of its own), and Thai, Lao, Khmer and Myanmar
 * (each letter, with the vowel signs and tone marks written on it). Text in
 * them matches by characters anywhere in a run. A word segmenter (such as
 * Intl.Segmenter) is not used: its boundaries depend on the words around, so a
 * quotation cut from the middle of a run could be cut otherwise than its source.
 */
const isUnspacedCode = (code: number): boolean =>
  code >= 0x0e00 && test(unspacedCache, /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]$/u, code);
const markCache = new Map<number, boolean>();
const isMarkCode = (code: number): boolean => code >= 0x0300 && test(markCache, /^\p{M}$/u, code);
const isQuoteCode = (code: number): boolean => code === 34 || code === 39 || code === 96;
const isSkipCode = (code: number): boolean => code === 42 || code === 95;
const isSpaceAt = (text: string, k: number): boolean => {
  const c = text.charCodeAt(k);
  return c < 128 && ASCII_CLASS[c] === SPACE;
};

/**
 * The tokeniser's scanner over (normalised or plain ASCII) text: a word is a
 * run of letters, marks and digits (but each Chinese or Japanese character is
 * a word of its own), keeping an apostrophe between letters and
 * a `.` or `,` between digits; three or more dots (spaced or not) are an
 * ellipsis; a run of hyphens is one dash; any other visible character is a
 * mark. Emphasis markers are skipped (and join a word they stand inside).
 * Offsets passed to `sink` are `[start, end)` in `text`.
 */
function scan(text: string, from: number, to: number, sink: RangeSink): void {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const cls = ASCII_CLASS[c];
      if (cls === SPACE || cls === SKIP) {
        i++;
        continue;
      }
      if (c === 46 /* . */) {
        let j = i + 1;
        let dots = 1;
        for (;;) {
          let k = j;
          while (k < to && isSpaceAt(text, k)) k++;
          if (k < to && text.charCodeAt(k) === 46) {
            dots++;
            j = k + 1;
          } else break;
        }
        if (dots >= 3) {
          if (sink(ELLIPSIS, TokenKind.Punctuation, i, j, 0) === false) return;
          i = j;
          continue;
        }
      }
      if (c === 45 /* - */) {
        let j = i + 1;
        while (j < to && text.charCodeAt(j) === 45) j++;
        if (sink(DASH, TokenKind.Punctuation, i, j, 0) === false) return;
        i = j;
        continue;
      }
      if (cls === QUOTE) {
        if (sink(QUOTE_MARK, TokenKind.Punctuation, i, i + 1, 0) === false) return;
        i++;
        continue;
      }
      if (cls !== WORD) {
        if (sink(ASCII_CHARS[c], TokenKind.Punctuation, i, i + 1, 0) === false) return;
        i++;
        continue;
      }
    }
    // An ASCII character left here is a letter or digit: a word starts. Anything else is looked at by code point.
    if (c >= 128) {
      const code = text.codePointAt(i) ?? c;
      const width = code > 0xffff ? 2 : 1;
      if (!isWordCode(code)) {
        if (sink(text.slice(i, i + width), TokenKind.Punctuation, i, i + width, 0) === false) return;
        i += width;
        continue;
      }
      if (isUnspacedCode(code)) {
        let end = i + width;
        // A Thai letter's vowel signs and tone marks are written on it: one character with it.
        for (let mark = text.codePointAt(end) ?? 0; end < to && isMarkCode(mark); mark = text.codePointAt(end) ?? 0) end += mark > 0xffff ? 2 : 1;
        let hash = 0;
        for (let k = i; k < end; k++) hash = (Math.imul(hash, 31) + text.charCodeAt(k)) | 0;
        if (sink(null, TokenKind.Word, i, end, hash) === false) return;
        i = end;
        continue;
      }
    }
    // A word.
    let j = i;
    let hash = 0;
    let rebuilt = false;
    let previous = 0;
    while (j < to) {
      const unit = text.charCodeAt(j);
      // ASCII letters and digits, most of any word, take the short way.
      if (unit < 128) {
        if (ASCII_CLASS[unit] === WORD) {
          hash = (Math.imul(hash, 31) + unit) | 0;
          previous = unit;
          j++;
          continue;
        }
      } else {
        const w = text.codePointAt(j) ?? unit;
        if (isWordCode(w) && !isUnspacedCode(w)) {
          hash = (Math.imul(hash, 31) + unit) | 0;
          if (w > 0xffff) hash = (Math.imul(hash, 31) + text.charCodeAt(j + 1)) | 0;
          previous = w;
          j += w > 0xffff ? 2 : 1;
          continue;
        }
      }
      // Only a quote mark, `.`, `,` or an emphasis marker may carry a word on, depending on what follows.
      if (unit >= 128 || JOINING[unit] === 0) break;
      const next = j + 1 < to ? (text.codePointAt(j + 1) ?? 0) : -1;
      if (isQuoteCode(unit) && next >= 0 && isLetterCode(next)) {
        if (unit !== 34) rebuilt = true;
        hash = (Math.imul(hash, 31) + 34) | 0;
        j++;
        continue;
      }
      if ((unit === 46 || unit === 44) && next >= 0 && isDigitCode(previous) && isDigitCode(next)) {
        hash = (Math.imul(hash, 31) + unit) | 0;
        j++;
        continue;
      }
      if (isSkipCode(unit) && next >= 0 && isWordCode(next)) {
        rebuilt = true;
        j++;
        continue;
      }
      break;
    }
    const stop = rebuilt ? sink(rebuiltWord(text, i, j), TokenKind.Word, i, j, hash) : sink(null, TokenKind.Word, i, j, hash);
    if (stop === false) return;
    i = j;
  }
}

/** A word's text with the emphasis markers inside it dropped and its apostrophes as the one quote mark. */
function rebuiltWord(text: string, from: number, to: number): string {
  let word = '';
  let run = from;
  for (let k = from; k < to; k++) {
    const unit = text.charCodeAt(k);
    if (unit !== 42 && unit !== 95 && unit !== 39 && unit !== 96) continue;
    word += text.slice(run, k);
    if (unit === 39 || unit === 96) word += QUOTE_MARK;
    run = k + 1;
  }
  return word + text.slice(run, to);
}

/** Whether `text[from, to)` is plain ASCII (and, when entities are decoded, has no `&`). */
function isPlain(text: string, from: number, to: number, decodeEntities: boolean): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || (decodeEntities && c === 38)) return false;
  }
  return true;
}

/**
 * Calls `sink` for every token of `text[from, to)`, in order, with offsets in
 * `text`. Plain ASCII prose (most of it) is scanned in place; anything else is
 * first normalised (NFKC, quote marks, dashes, entities) with a map back to
 * the original offsets.
 */
export function forEachTokenIn(text: string, from: number, to: number, options: { decodeEntities: boolean }, sink: RangeSink): void {
  if (isPlain(text, from, to, options.decodeEntities)) {
    scan(text, from, to, sink);
    return;
  }
  const normalised = normaliseText(text.slice(from, to), options);
  const value = normalised.text;
  scan(value, 0, value.length, (token, kind, start, end, hash) =>
    sink(token ?? value.slice(start, end), kind, from + normalised.starts[start], from + normalised.ends[end - 1], hash),
  );
}

/** Calls `sink` for every token of `original`, with its normalised text and original offsets. */
function forEachToken(original: string, options: { decodeEntities: boolean }, sink: TokenSink): void {
  forEachTokenIn(original, 0, original.length, options, (value, kind, start, end) => sink(value ?? original.slice(start, end), kind, start, end));
}

export function tokenize(original: string, options: { decodeEntities: boolean } = { decodeEntities: false }): Token[] {
  const tokens: Token[] = [];
  forEachToken(original, options, (text, kind, start, end) => tokens.push({ text, kind, start, end }));
  return tokens;
}

/** Sentence-final marks a quotation may add or drop at its end. */
export const FINAL_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?']);

export function isWord(token: Token): boolean {
  return token.kind === TokenKind.Word;
}

export function flipFirstLetterCase(word: string): string {
  const first = word.charAt(0);
  const lower = first.toLowerCase();
  const flipped = first === lower ? first.toUpperCase() : lower;
  return flipped + word.slice(1);
}
