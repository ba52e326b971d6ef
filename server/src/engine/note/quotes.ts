import type { Span } from './citations.js';

/** A quotation mark pair found in prose; `inner` is what stands between the marks. */
export interface QuotedSpan {
  readonly open: number;
  readonly close: number;
  readonly inner: Span;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Finds the outermost quotations in a block's prose: straight `"…"`, curly
 * `“…”`, and balanced curly singles `‘…’` (British style). A `’` followed by a
 * letter is an apostrophe, not a closing mark; a quotation left open at the end
 * of the block is not a quotation.
 */
export function findQuotedSpans(text: string): QuotedSpan[] {
  const spans: QuotedSpan[] = [];
  const stack: { mark: string; at: number }[] = [];
  const close = (at: number): void => {
    const open = stack.pop();
    if (open && stack.length === 0 && at > open.at + 1) {
      spans.push({ open: open.at, close: at, inner: { start: open.at + 1, end: at } });
    }
  };
  // The nearest double opener, looking past single openers never closed: a `‘` in
  // `“In the ‘90s …”` was an apostrophe, and must not keep the double quotation open.
  const doubleOpener = (): number => {
    let k = stack.length - 1;
    while (k >= 0 && stack[k].mark === '‘') k--;
    return k;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const top = stack[stack.length - 1]?.mark;
    if (ch === '“') stack.push({ mark: '“', at: i });
    else if (ch === '”') {
      // Closes `“` or (a straight opening mark closed by a curly one) `"`.
      const k = doubleOpener();
      if (k >= 0) {
        stack.length = k + 1;
        close(i);
      }
    } else if (ch === '"') {
      const k = doubleOpener();
      if (k >= 0 && stack[k].mark === '"') {
        stack.length = k + 1;
        close(i);
      } else stack.push({ mark: '"', at: i });
    } else if (ch === '‘') {
      if (!LETTER_OR_DIGIT.test(text[i - 1] ?? '')) stack.push({ mark: '‘', at: i });
    } else if (ch === '’') {
      if (top === '‘' && !LETTER_OR_DIGIT.test(text[i + 1] ?? '')) close(i);
    }
  }
  return spans;
}
