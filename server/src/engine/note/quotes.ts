import type { Span } from './citations.js';

/** A quotation mark pair found in prose; `inner` is what stands between the marks. */
export interface QuotedSpan {
  readonly open: number;
  readonly close: number;
  readonly inner: Span;
}

/**
 * Which closing marks end a quotation opened by each mark. The facts are the
 * quotation and alternate quotation delimiters that Unicode CLDR lists per
 * locale (quotationStart/End, alternateQuotationStart/End), merged so that
 * every note is read without a language setting:
 *
 * - `“…”` English, Chinese, Portuguese, Turkish, Korean, Thai, Dutch (alternate);
 * - `„…“` German, Czech, Slovak, Slovenian, Croatian, Lithuanian, and Russian or
 *   Ukrainian nested; `„…”` Polish, Hungarian, Romanian;
 * - `”…”` Swedish, Finnish (and `’…’` nested); `”…“` Arabic (and Persian or
 *   Urdu) typed with English marks in right-to-left text, where the mark typed
 *   first is the one that looks closing;
 * - `«…»` French, Russian, Spanish, Italian, Greek, Norwegian, Swiss German and
 *   Polish or Romanian nested, Arabic and Persian; `»…«` Danish and German book style, Hungarian nested;
 * - `‘…’` English nested, Dutch; `‚…‘` German nested; `‚…’` nested `„…”`;
 * - `‹…›` Swiss German and Swiss French nested (and `›…‹` with `»…«`);
 * - `「…」` and `『…』` Japanese and traditional Chinese (also half-width `｢…｣`,
 *   and `〝…〞` or `〝…〟` in vertical text).
 *
 * A straight `"` is typed for any of them, and is closed by a straight or a curly mark.
 */
const CLOSERS: ReadonlyMap<string, string> = new Map([
  ['"', '"”'],
  ['“', '”'],
  ['„', '“”'],
  ['”', '”“'],
  ['«', '»'],
  ['»', '«'],
  ['「', '」'],
  ['『', '』'],
  ['｢', '｣'],
  ['〝', '〞〟'],
  ['‘', '’'],
  ['‚', '‘’'],
  ['’', '’'],
  ['‹', '›'],
  ['›', '‹'],
]);

/** Single marks double as apostrophes (`’90s`, `rock ‘n’ roll`): a double closer looks past them to its opener. */
const SINGLE = new Set(['‘', '’', '‚', '‹', '›']);

const MARKS = new Set([...CLOSERS.keys(), ...[...CLOSERS.values()].join('')]);
/** Closing marks that may stand apart from the words: French `« mot »`. (A closing `«` is Danish, always tight: `»ord«`.) */
const SPACED = new Set([...'»›」』｣〞〟']);

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * A letter or digit that ends a word: not a character of a script written
 * without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar), after which a
 * quotation opens with no space (`他说"你好"`, `เขาพูดว่า"สวัสดี"`).
 */
const WORD_END = /(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}])[\p{L}\p{N}]/u;
const DIGIT = /\p{N}/u;
const SPACE = /\s/u;
/** Where a writer's sentence ends inside would-be quoted words. */
const SENTENCE_BREAK = /[.!?]\s+\p{Lu}/u;
/** `‘90s`, `‘17`: an apostrophe standing for a year's century, typed with an opening mark. */
const ELIDED_YEAR = /^['‘’]\d\ds?(?![\p{L}\p{N}])/u;
/** `‘n’`, `’em’`: an abbreviated word between apostrophes, not a quotation. */
const CLIPPED_WORD = /^\p{L}{1,2}$/u;

interface Open {
  readonly mark: string;
  readonly at: number;
}

/**
 * Finds the outermost quotations in a block's prose, for the quotation marks of
 * every major language (see `CLOSERS`), nested to any depth. A mark that can
 * both open and close (`»`, `”`, `“`, `’`) closes when an open quotation takes
 * it as its closing mark and opens otherwise, so `»…«` and `«…»` are decided by
 * balance. Marks that are not quotation marks stay out: a straight `"` after a
 * digit or letter cannot open (`a 75" screen`, `5' 10"`) and one with space on
 * both sides (a ditto mark) does neither; a `’` or `‘` inside a word or
 * before a year's two digits (`the ‘90s`) is an apostrophe; a quotation left open at the end of the block is not a quotation,
 * and an inch mark closes nothing across a sentence.
 */
export function findQuotedSpans(text: string): QuotedSpan[] {
  const pairs: QuotedSpan[] = [];
  const stack: Open[] = [];
  const before = (i: number): string => text[i - 1] ?? ' ';
  const after = (i: number): string => text[i + 1] ?? ' ';

  /** The stack index of the open quotation `mark` at `i` would close, or -1. */
  const opener = (mark: string, i: number): number => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const open = stack[k];
      if (CLOSERS.get(open.mark)?.includes(mark)) {
        // An inch mark (`10"`) ends no quotation begun in an earlier sentence.
        if (mark === '"' && DIGIT.test(before(i)) && SENTENCE_BREAK.test(text.slice(open.at + 1, i))) return -1;
        return k;
      }
      // A double mark looks past unclosed singles (apostrophes); a single mark closes only the innermost quotation.
      if (SINGLE.has(mark) || !SINGLE.has(open.mark)) return -1;
    }
    return -1;
  };
  const close = (k: number, i: number): void => {
    const open = stack[k];
    stack.length = k;
    let start = open.at + 1;
    let end = i;
    // French and Swiss marks stand apart from the words by a (no-break or thin) space.
    while (start < end && SPACE.test(text[start])) start++;
    while (end > start && SPACE.test(text[end - 1])) end--;
    if (end === start) return;
    if (SINGLE.has(open.mark) && CLIPPED_WORD.test(text.slice(start, end))) return;
    pairs.push({ open: open.at, close: i, inner: { start, end } });
  };

  for (let i = 0; i < text.length; i++) {
    const mark = text[i];
    if (!MARKS.has(mark)) continue;
    // A closing mark ends a word (`word"`), but see SPACED.
    const k = SPACE.test(before(i)) && !SPACED.has(mark) ? -1 : opener(mark, i);
    if (k >= 0 && !(mark === '’' && LETTER_OR_DIGIT.test(after(i)))) {
      close(k, i);
      continue;
    }
    if (canOpen(mark, before(i), after(i), stack[stack.length - 1]?.mark) && !ELIDED_YEAR.test(text.slice(i, i + 5))) stack.push({ mark, at: i });
  }

  // Only the outermost pairs are quotations; pairs nest, so each one is either inside the last kept one or after it.
  pairs.sort((a, b) => a.open - b.open);
  const outermost: QuotedSpan[] = [];
  for (const pair of pairs) {
    const last = outermost[outermost.length - 1];
    if (!last || pair.open > last.close) outermost.push(pair);
  }
  return outermost;
}

/** Whether `mark`, between `previous` and `next`, opens a quotation (when it closes none). */
function canOpen(mark: string, previous: string, next: string, innermost: string | undefined): boolean {
  switch (mark) {
    case '"':
    case '”':
    case '‚':
      // Like Pandoc's smart quotes: an opening mark stands before a word, not after one (`75"`, `word"`).
      return !SPACE.test(next) && !WORD_END.test(previous);
    case '‘':
      return !WORD_END.test(previous);
    case '’':
      // Swedish and Finnish nest `’…’` in `”…”`; anywhere else a `’` before a word is an apostrophe (`’90s`).
      return innermost === '”' && !LETTER_OR_DIGIT.test(previous) && /\p{L}/u.test(next);
    case '」':
    case '』':
      return false;
    default:
      return true;
  }
}
