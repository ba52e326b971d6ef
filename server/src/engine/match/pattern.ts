import { ELLIPSIS, FINAL_PUNCTUATION, tokenize, TokenKind, type Token } from '../text/tokens.js';

/**
 * A quotation as something to look for in a source.
 *
 * `literal` is the quotation exactly as typed (typographic normalisation
 * only). `conventional` reads the scholarly conventions too: an ellipsis marks
 * an omission, `[t]he` changes a letter's case, `[the Taliban]` stands in for a
 * few source words that name what it names (or for none: an interpolation),
 * and `[sic]` or `(emphasis added)` are editorial marks.
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

/** `[words]` of the writer's own standing in for 0–5 source words (see `plausibleReplacement`). */
export interface PatternGap {
  readonly kind: 'gap';
  readonly start: number;
  readonly end: number;
  /** The bracket's words, lower-cased. */
  readonly words: readonly string[];
}

export type PatternElement = PatternToken | PatternGap;
/** A run of the quotation between omissions. */
export type PatternPiece = PatternElement[];

/**
 * How many source words one bracket may stand for. A bracket replaces what a
 * quotation lifted out of its context would leave unclear: a pronoun (`they` →
 * `[the Taliban]`), a possessive (`its` → `[Russia’s]`), or a name or a noun
 * or verb phrase it condenses (`Afghanistan’s` → `[the country’s]`, `large new
 * swaths of territory` → `[new territory]`, `to draw down from Afghanistan` →
 * `[to leave]`). Such a phrase — a determiner, modifiers, a head word and a
 * short complement — runs to five words; a longer stretch is a paraphrase
 * inside quotation marks (the six-word stretches a looser limit let through
 * were unrelated words across a clause: `the early 2000s and journalists
 * pressured the`), to be marked with an ellipsis or moved out.
 */
export const MAX_BRACKET_WORDS = 5;

/**
 * Words that open a phrase naming something — pronouns, possessives,
 * determiners, demonstratives — in English and the other languages most
 * quoted (German, French, Spanish, Russian): `they`, `its`, `the country`,
 * `this year`, `sein Land`, `ces pays`, `этот год`.
 */
const REFERRING = new Set(
  [
    'i me my mine we us our ours you your yours he him his she her hers it its they them their theirs one ones',
    'myself ourselves yourself himself herself itself themselves who whom whose which what that this these those',
    'the a an such said same former latter both each either neither all some another other here there then now',
    'er sie es ihn ihm ihr ihre sein seine ihnen der die das den dem des ein eine einen einem einer dies diese dieser dieses jener jene',
    'il elle ils elles lui leur leurs le la les l un une son sa ses ce cet cette ces cela celui celle ceux',
    'él ella ellos ellas el los las lo su sus este esta esto estos estas ese esa eso aquel',
    'он она оно они его её ее их ему ей им этот эта это эти тот та те то свой своя свои там тогда',
  ]
    .join(' ')
    .split(' '),
);
/** Marks that end a sentence or a clause: a bracket stands for words within one. */
const CLAUSE_BREAK = new Set(['.', '!', '?', ';']);

/**
 * Whether source words may be what a bracket stands for: none (an
 * interpolation: `the [Russian] diplomats`), or up to `MAX_BRACKET_WORDS`
 * words within one clause that the bracket restates word for word (no more
 * words than it has), or that name something — a phrase opened by a pronoun,
 * possessive or determiner, a name (every word capitalised), or words the
 * bracket itself repeats (`[the CSTO’s]` for `CSTO`). Words of a script without
 * letter case cannot be told apart so, and are let through within the limit.
 * `the [Russian] Foreign Ministry` so matches `the Foreign Ministry`, never
 * `the early 2000s and journalists pressured the Foreign Ministry`.
 */
export function plausibleReplacement(replaced: readonly { text: string; isWord: boolean }[], bracketWords: readonly string[]): boolean {
  const words = replaced.filter((t) => t.isWord).map((t) => t.text);
  if (words.length === 0) return true;
  if (words.length > MAX_BRACKET_WORDS || replaced.some((t) => !t.isWord && CLAUSE_BREAK.has(t.text))) return false;
  // Word for word (`[no longer]` for `now at most`, `[is not]` for `isn’t`) the bracket restates: whether it
  // distorts is quote-distorted's to judge.
  if (words.length <= bracketWords.length) return true;
  const lower = words.map((w) => w.toLowerCase());
  if (lower.some((w) => bracketWords.includes(w))) return true;
  if (REFERRING.has(lower[0].replace(/[’']s$/u, ''))) return true;
  if (words.every((w) => /^(?:\p{Lu}|\p{N})/u.test(w)) && words.some((w) => /^\p{Lu}/u.test(w))) return true;
  return !words.some((w) => /[\p{Lu}\p{Ll}]/u.test(w));
}

/** The words of a bracket as written (`[the Taliban’s]`), lower-cased. */
export function bracketWords(bracket: string): string[] {
  return (bracket.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
}

/** Editorial marks the comparison ignores: `[sic]`, `(emphasis added)`. */
export const EDITORIAL = /\[(?:sic!?|emphasis (?:added|mine|in original))\]|\((?:sic!?|emphasis (?:added|mine|in original))\)/giu;
const BRACKETED = /\[([^[\]\n]{1,80})\]/gu;
const BRACKETED_ELLIPSIS = /^(?:\.\s?\.\s?\.(?:\s?\.)?|…)$/u;
/** `[T]he`: one or two bracketed letters against a word change only the case. */
export const LETTERS = /^\p{L}{1,2}$/u;
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

function gapElement(text: string, marker: Marker): PatternGap {
  return { kind: 'gap', start: marker.start, end: marker.end, words: bracketWords(text.slice(marker.start, marker.end)) };
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
    while (g < gaps.length && gaps[g].start < token.start) elements.push(gapElement(text, gaps[g++]));
    if (token.text === ELLIPSIS) {
      elements.push({ kind: 'ellipsis' });
      continue;
    }
    const folded = cases.some((c) => c.start < token.end && token.start < c.end);
    elements.push(toPatternToken(token, folded ? 'all' : 'none'));
  }
  while (g < gaps.length) elements.push(gapElement(text, gaps[g++]));

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
