import { ParseEnglish } from 'parse-english';
import type { Span } from './citations.js';

const parser = new ParseEnglish();
const SENTENCE_END = /[.!?…]/u;

/**
 * Sentence spans of a block's prose, from retext's English parser. Citations
 * and the inside of quotations are masked first (same length), so `para. 5`
 * or a full stop inside a quotation never ends the writer's sentence; a
 * quotation's own final mark is kept, since it often ends the sentence too.
 */
export function sentenceSpans(text: string, citations: readonly Span[], quotations: readonly Span[]): Span[] {
  const chars = text.split('');
  for (const c of citations) for (let i = c.start + 1; i < c.end - 1; i++) chars[i] = 'x';
  for (const q of quotations) {
    // `q` spans the marks: mask the words between them, but keep the marks and the
    // quotation's own final `.`/`!`/`?` (in `… anaconda." Then` it ends the sentence).
    // French marks stand apart from the words (`« … anaconda. »`): the final mark is the last before the space.
    let last = q.end - 2;
    while (last > q.start + 1 && /\s/u.test(chars[last])) last--;
    for (let i = q.start + 1; i < last; i++) if (!/\s/u.test(chars[i])) chars[i] = 'x';
    if (last > q.start && !SENTENCE_END.test(chars[last]) && !/\s/u.test(chars[last])) chars[last] = 'x';
  }
  const tree = parser.parse(chars.join(''));
  const spans: Span[] = [];
  for (const paragraph of tree.children) {
    if (paragraph.type !== 'ParagraphNode') continue;
    for (const sentence of paragraph.children) {
      if (sentence.type !== 'SentenceNode') continue;
      const start = sentence.position?.start.offset;
      const end = sentence.position?.end.offset;
      if (start !== undefined && end !== undefined) spans.push({ start, end });
    }
  }
  return spans;
}

/** The sentence holding `offset` (or the next one), by binary search over the ordered spans. */
export function sentenceAt(sentences: readonly Span[], offset: number): Span | undefined {
  let low = 0;
  let high = sentences.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sentences[mid].end <= offset) low = mid + 1;
    else high = mid;
  }
  return sentences[low];
}

/** Where each sentence of a plain stretch of text starts, by the same parser (for a source's own words). */
export function sentenceStarts(text: string): number[] {
  const starts: number[] = [];
  for (const paragraph of parser.parse(text).children) {
    if (paragraph.type !== 'ParagraphNode') continue;
    for (const sentence of paragraph.children) {
      const start = sentence.position?.start.offset;
      if (sentence.type === 'SentenceNode' && start !== undefined) starts.push(start);
    }
  }
  return starts;
}
