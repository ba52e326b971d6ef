import { ELLIPSIS, FINAL_PUNCTUATION, tokenize, TokenKind, type Token } from '../text/tokens.js';

/**
 * A quotation as something to look for in a source.
 *
 * `literal` is the quotation exactly as typed (typographic normalisation
 * only). `conventional` reads the scholarly conventions too: an ellipsis marks
 * an omission, `[t]he` changes a letter's case, `[the Taliban]` stands in for a
 * few source words, and `[sic]` or `(emphasis added)` are editorial marks.
 */
export interface QuotationPattern {
  readonly literal: PatternToken[];
  /** Present only when the quotation uses a convention. */
  readonly conventional?: PatternPiece[];
  /** Word count of the quotation as the writer typed it. */
  readonly wordCount: number;
}

export interface PatternToken {
  readonly kind: 'token';
  readonly text: string;
  readonly isWord: boolean;
  /** `first`: only the first letter's case may differ; `all`: any letter's case may differ. */
  readonly caseInsensitive: 'none' | 'first' | 'all';
  /** Offsets in the quotation text. */
  readonly start: number;
  readonly end: number;
}

/** `[words]` of the writer's own standing in for 0–6 source words. */
export interface PatternGap {
  readonly kind: 'gap';
  readonly start: number;
  readonly end: number;
}

export type PatternElement = PatternToken | PatternGap;
/** A run of the quotation between omissions. */
export type PatternPiece = PatternElement[];

export const MAX_GAP_WORDS = 6;

const EDITORIAL = /\[(?:sic!?|emphasis (?:added|mine|in original))\]|\((?:sic!?|emphasis (?:added|mine|in original))\)/giu;
const BRACKETED = /\[([^[\]\n]{1,80})\]/gu;
const BRACKETED_ELLIPSIS = /^(?:\.\s?\.\s?\.(?:\s?\.)?|…)$/u;
const LETTERS = /^\p{L}{1,2}$/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

interface Marker {
  kind: 'gap' | 'ellipsis' | 'case';
  start: number;
  end: number;
}

/** Strips what the comparison ignores at the ends: the final punctuation mark and leading or trailing ellipses. */
function trimEnds<T extends { text: string; isWord?: boolean }>(tokens: T[]): T[] {
  let start = 0;
  let end = tokens.length;
  while (start < end && tokens[start].text === ELLIPSIS) start++;
  while (end > start && (tokens[end - 1].text === ELLIPSIS || FINAL_PUNCTUATION.has(tokens[end - 1].text))) end--;
  return tokens.slice(start, end);
}

function toPatternToken(token: Token, caseInsensitive: PatternToken['caseInsensitive']): PatternToken {
  return {
    kind: 'token',
    text: token.text,
    isWord: token.kind === TokenKind.Word,
    caseInsensitive,
    start: token.start,
    end: token.end,
  };
}

/** An initial letter's case is typographic: `The group` may quote `the group`. */
function withFirstLetterCase<T extends PatternElement>(elements: T[]): T[] {
  const first = elements[0];
  if (first?.kind === 'token' && first.isWord && first.caseInsensitive === 'none') {
    return [{ ...first, caseInsensitive: 'first' }, ...elements.slice(1)];
  }
  return elements;
}

function findMarkers(text: string): { masked: string; markers: Marker[] } {
  const markers: Marker[] = [];
  let masked = text.replace(EDITORIAL, (m) => ' '.repeat(m.length));
  masked = masked.replace(BRACKETED, (whole: string, inner: string, offset: number) => {
    const end = offset + whole.length;
    if (BRACKETED_ELLIPSIS.test(inner.trim())) {
      markers.push({ kind: 'ellipsis', start: offset, end });
      return ` ${inner} `;
    }
    const before = masked.charAt(offset - 1);
    const after = masked.charAt(end);
    if (LETTERS.test(inner) && (WORD_CHAR.test(before) || WORD_CHAR.test(after))) {
      // `[t]he`: the brackets vanish (zero-width), the letters stay, their case is free.
      markers.push({ kind: 'case', start: offset, end });
      return `\u200b${inner}\u200b`;
    }
    markers.push({ kind: 'gap', start: offset, end });
    return ' '.repeat(whole.length);
  });
  return { masked, markers };
}

export function quotationPattern(text: string): QuotationPattern {
  const literal = withFirstLetterCase(trimEnds(tokenize(text).map((t) => toPatternToken(t, 'none'))));
  const wordCount = literal.filter((t) => t.isWord).length;
  const { masked, markers } = findMarkers(text);
  const usesEllipsis = literal.some((t) => t.text === ELLIPSIS);
  if (masked === text && !usesEllipsis) return { literal, wordCount };

  const elements: (PatternElement | { kind: 'ellipsis' })[] = [];
  const tokens = tokenize(masked);
  const gaps = markers.filter((m) => m.kind === 'gap');
  const cases = markers.filter((m) => m.kind === 'case');
  let g = 0;
  for (const token of tokens) {
    while (g < gaps.length && gaps[g].start < token.start) elements.push({ kind: 'gap', start: gaps[g].start, end: gaps[g++].end });
    if (token.text === ELLIPSIS) {
      elements.push({ kind: 'ellipsis' });
      continue;
    }
    const folded = cases.some((c) => c.start < token.end && token.start < c.end);
    elements.push(toPatternToken(token, folded ? 'all' : 'none'));
  }
  while (g < gaps.length) elements.push({ kind: 'gap', start: gaps[g].start, end: gaps[g++].end });

  const pieces: PatternPiece[] = [];
  let current: PatternElement[] = [];
  for (const element of elements) {
    if (element.kind === 'ellipsis') {
      pieces.push(current);
      current = [];
    } else {
      current.push(element);
    }
  }
  pieces.push(current);
  const conventional = pieces.map(trimPiece).filter((piece) => piece.some((e) => e.kind === 'token'));
  if (conventional.length > 0) {
    const last = conventional.length - 1;
    conventional[last] = trimEndPunctuation(conventional[last]);
    conventional[0] = withFirstLetterCase(conventional[0]);
  }
  return { literal, conventional, wordCount };
}

/** A gap at either end of a piece is meaningless: the omission or the quotation's edge already allows anything. */
function trimPiece(piece: PatternPiece): PatternPiece {
  let start = 0;
  let end = piece.length;
  while (start < end && piece[start].kind === 'gap') start++;
  while (end > start && piece[end - 1].kind === 'gap') end--;
  return piece.slice(start, end);
}

function trimEndPunctuation(piece: PatternPiece): PatternPiece {
  let end = piece.length;
  while (end > 0) {
    const last = piece[end - 1];
    if (last.kind === 'token' && FINAL_PUNCTUATION.has(last.text)) end--;
    else break;
  }
  return trimPiece(piece.slice(0, end));
}
