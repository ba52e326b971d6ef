import { ParseEnglish } from 'parse-english';
import type { CitationGroup, Span } from './citations.js';

const parser = new ParseEnglish();
const SENTENCE_END = /[.!?…]/u;

/**
 * Sentence spans of a block's prose, from retext's English parser. Citations
 * and the inside of quotations are masked first (same length), so `para. 5`
 * or a full stop inside a quotation never ends the writer's sentence; a
 * quotation's own final mark is kept, since it often ends the sentence too.
 */
export function sentenceSpans(text: string, citations: readonly CitationGroup[], quotations: readonly Span[]): Span[] {
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
  const masked = chars.join('');
  const spans: Span[] = [];
  for (const paragraph of parser.parse(masked).children) {
    if (paragraph.type !== 'ParagraphNode') continue;
    for (const sentence of paragraph.children) {
      if (sentence.type !== 'SentenceNode') continue;
      const start = sentence.position?.start.offset;
      const end = sentence.position?.end.offset;
      if (start !== undefined && end !== undefined) spans.push(...splitAfterCommonWords(masked, start, end));
    }
  }
  return withTrailingCitations(text, spans, citations);
}

/**
 * Abbreviations that retext's parser reads across a full stop but that are
 * also common lowercase words (`cap`, `in`, `sun`, `con`, `per cent`) or a
 * small number: `The regulator set a price cap. The operator…` is two
 * sentences. Before a capital, such a full stop ends the sentence, except
 * after the few abbreviations that stand before a name or a number.
 */
const KEEPS_SENTENCE = new Set(['cf', 'ca', 'cca', 'viz', 'al', 'op', 'cit', 'fl', 'ff', 'seq', 'cp', 'pp', 'vs', 'approx', 'vol', 'vols', 'ch', 'ed', 'eds', 'trans', 'no', 'nos', 'fig', 'figs', 'eq', 'sec', 'para', 'paras', 'repr', 'ibid', 'id', 'etc']);
const COMMON_WORD_STOP = /(?<![\p{L}\d.])(\p{Ll}{2,}|\d{1,3})\.(?=\s+["“‘(]?\p{Lu})/gu;

function splitAfterCommonWords(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  let from = start;
  for (const match of text.slice(start, end).matchAll(COMMON_WORD_STOP)) {
    if (KEEPS_SENTENCE.has(match[1])) continue;
    const stop = start + (match.index ?? 0) + match[0].length;
    const next = stop + (/^\s+/u.exec(text.slice(stop, end))?.[0].length ?? 0);
    spans.push({ start: from, end: stop });
    from = next;
  }
  spans.push({ start: from, end });
  return spans;
}

/**
 * A bracketed citation or footnote reference that follows a sentence's final
 * mark (`… open.[^a] The next`, `… open. [@key] The next`) belongs to the
 * sentence it follows, not to the one the parser starts with it. A narrative
 * citation (`@anon2021 disagrees`) is the next sentence's subject and stays.
 */
function withTrailingCitations(text: string, spans: Span[], citations: readonly CitationGroup[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const previous = out[out.length - 1] as Span | undefined;
    let start = span.start;
    if (previous) {
      for (;;) {
        const lead = /^\s*/u.exec(text.slice(start, span.end))?.[0].length ?? 0;
        const citation = citations.find((c) => c.kind === 'bracketed' && c.start === start + lead && c.end <= span.end);
        if (!citation) break;
        previous.end = citation.end;
        start = citation.end;
      }
      start += /^\s*/u.exec(text.slice(start, span.end))?.[0].length ?? 0;
      if (start >= span.end) continue;
    }
    out.push({ start, end: span.end });
  }
  return out;
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
