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

const QUOTE_CHARS = new Set([..."\"'`´‘’‚‛“”„‟«»‹›′″ʼ"]);
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

/** Applies the character-level normalisations, keeping a map back to the original offsets. */
export function normaliseText(original: string, options: { decodeEntities: boolean }): NormalisedText {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const push = (value: string, start: number, end: number): void => {
    for (const unit of value.split('')) {
      out.push(unit);
      starts.push(start);
      ends.push(end);
    }
  };
  CLUSTER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = CLUSTER.exec(original)) !== null) {
    const start = match.index;
    let cluster = match[0];
    let end = start + cluster.length;
    if (options.decodeEntities && cluster === '&') {
      const entity = ENTITY.exec(original.slice(start, start + 40));
      const decoded = entity ? decodeEntity(entity[1]) : undefined;
      if (entity && decoded !== undefined) {
        cluster = decoded;
        end = start + entity[0].length;
        CLUSTER.lastIndex = end;
      }
    }
    for (const ch of cluster.normalize('NFKC')) {
      push(mapCharacter(ch), start, end);
    }
  }
  return { text: out.join(''), starts, ends };
}

/**
 * A word is a run of letters, marks and digits; an apostrophe between letters
 * and a `.` or `,` between digits stay inside it (`hasn't`, `1,000`, `3.5`).
 * An ellipsis is three or more dots, spaced or not (any run of spaces: a
 * `\r\n` between dots has become two).
 */
const TOKEN =
  /(\.(?: *\.){2,})|([\p{L}\p{M}\p{N}]+(?:(?:"(?=[\p{L}\p{M}])|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{M}\p{N}]+)*)|(-+)|(\S)/gu;

export function tokenize(original: string, options: { decodeEntities: boolean } = { decodeEntities: false }): Token[] {
  const normalised = normaliseText(original, options);
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN.exec(normalised.text)) !== null) {
    const first = match.index;
    const last = first + match[0].length - 1;
    const start = normalised.starts[first];
    const end = normalised.ends[last];
    if (match[1] !== undefined) tokens.push({ text: ELLIPSIS, kind: TokenKind.Punctuation, start, end });
    else if (match[2] !== undefined) tokens.push({ text: match[2], kind: TokenKind.Word, start, end });
    else if (match[3] !== undefined) tokens.push({ text: DASH, kind: TokenKind.Punctuation, start, end });
    else tokens.push({ text: match[0], kind: TokenKind.Punctuation, start, end });
  }
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
