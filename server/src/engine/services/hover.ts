import type { Corpus, Source } from '../corpus/corpus.js';
import { namedParagraphs } from '../corpus/pages.js';
import type { ParagraphText } from '../corpus/paragraphs.js';
import { judgedWords, type JudgedQuotation } from '../checks/judgements.js';
import type { DiagnosticData } from '../checks/report.js';
import { isVerified, judgeQuotation, type Judgement, type SourcePlace } from '../match/judge.js';
import { EDITORIAL, LETTERS } from '../match/pattern.js';
import type { NoteCitationItem } from '../note/analyze.js';
import { describePlace } from '../checks/describe.js';
import { escapeMarkdown } from './markdown.js';
import { preferredPlace } from './navigation.js';

const CONTEXT = 160;

/** The hover's first line: the verdict, and the place a reader is sent to. */
function verdictLine(judgement: Judgement): { line: string; place?: SourcePlace } {
  switch (judgement.verdict) {
    case 'verbatim':
      return { line: 'Verbatim' };
    case 'convention':
      return { line: 'Verbatim, altered by convention (omission or brackets)' };
    case 'changed':
      return { line: 'Changed' };
    case 'other-source':
      return { line: 'From another source' };
    case 'other-source-changed':
      return { line: 'From another source, and changed' };
    case 'not-found':
      return { line: 'Not found in any source', place: judgement.nearest };
    case 'found':
      return { line: 'Uncited; found' };
    case 'unfound':
      return { line: 'Uncited; not found in any source' };
  }
}

/** `*Title* — Author, Container, Publisher, date`: only what the bibliography states. */
export function describeSource(source: Source): string {
  const meta = source.metadata;
  if (!meta) return `${escapeMarkdown(source.key)} (no bibliography entry)`;
  const parts = [meta.authors.join(', '), meta.container, meta.publisher, meta.date].filter((p): p is string => !!p).map(escapeMarkdown);
  const title = meta.title ? `*${escapeMarkdown(meta.title)}*` : escapeMarkdown(source.key);
  return parts.length > 0 ? `${title} — ${parts.join(', ')}` : title;
}

function paragraphAt(source: Source, offset: number): ParagraphText | undefined {
  return source.paragraphs.find((p) => offset >= p.start && offset < p.end) ?? source.paragraphs.find((p) => offset < p.end);
}

/** The source paragraph around a place, the matched words in bold, a little context either side. */
function passage(place: SourcePlace): string {
  const text = place.source.text;
  const paragraph = paragraphAt(place.source, place.start);
  const paragraphStart = paragraph?.start ?? 0;
  const paragraphEnd = paragraph?.end ?? text.length;
  // Context is cut at word boundaries, never mid-word.
  let from = Math.max(paragraphStart, place.start - CONTEXT);
  if (from > paragraphStart) from = Math.min(place.start, text.indexOf(' ', from) + 1 || place.start);
  let to = Math.min(Math.max(paragraphEnd, place.end), place.end + CONTEXT);
  if (to < paragraphEnd) to = Math.max(place.end, text.lastIndexOf(' ', to));
  const before = (from > paragraphStart ? '… ' : '') + escapeMarkdown(text.slice(from, place.start));
  const after = escapeMarkdown(text.slice(place.end, to)) + (to < paragraphEnd ? ' …' : '');
  return `> ${before}**${escapeMarkdown(text.slice(place.start, place.end))}**${after}`;
}

/** At most this many source words are quoted for one editorial change; a longer omission is cut in the middle. */
const EDIT_WORDS = 12;

function sourceWords(text: string): string {
  const words = text.replace(/\s+/gu, ' ').trim().split(' ');
  if (words.length <= EDIT_WORDS) return words.join(' ');
  const half = EDIT_WORDS / 2;
  return `${words.slice(0, half).join(' ')} … ${words.slice(-half).join(' ')}`;
}

/**
 * The omissions and substitutions a quotation makes with the conventions:
 * what each ellipsis leaves out, what each bracket stands for (nothing, for an
 * interpolation).
 * Brackets are counted as the matcher counts them, in each piece without the
 * brackets at its edges (which stand for nothing).
 */
function editorialChanges(judged: JudgedQuotation, place: SourcePlace): string[] {
  const quoted = judgedWords(judged).text;
  const brackets = (judged.judgement.pattern.conventional ?? []).flatMap((piece) => {
    let start = 0;
    let end = piece.length;
    while (start < end && piece[start].kind === 'gap') start++;
    while (end > start && piece[end - 1].kind === 'gap') end--;
    return piece.slice(start, end).filter((element) => element.kind === 'gap');
  });
  return (place.edits ?? []).map((edit) => {
    const words = sourceWords(place.source.text.slice(edit.start, edit.end));
    if (edit.kind === 'omission') return words ? `- ~~…~~ → **${escapeMarkdown(words)}** (left out)` : '- ~~…~~ → (nothing left out)';
    const bracket = brackets[edit.index];
    const written = bracket ? quoted.slice(bracket.start, bracket.end) : '[…]';
    return `- ~~${escapeMarkdown(written)}~~ → ${words ? `**${escapeMarkdown(words)}**` : '(nothing: an insertion)'}`;
  });
}

const WORD = /[\p{L}\p{M}\p{N}]/u;

/** The word around `[T]` in `[T]he` (the brackets kept), and where it starts and ends in `text`. */
function bracketedWord(text: string, start: number, end: number): { start: number; end: number } {
  let from = start;
  let to = end;
  while (from > 0 && (WORD.test(text[from - 1]) || text[from - 1] === ']')) from--;
  while (to < text.length && (WORD.test(text[to]) || text[to] === '[')) to++;
  return { start: from, end: to };
}

/**
 * Each `[T]he` of a quotation, with the source's own letters: `capital T for
 * t`, `small t for T`, or the same case (a bracket that changes nothing). The
 * word is looked for, in order, among the words of the matched source passage.
 */
function caseChanges(quoted: string, place: SourcePlace): string[] {
  const sourceWords = [...place.source.text.slice(place.start, place.end).matchAll(/[\p{L}\p{M}\p{N}]+/gu)].map((m) => m[0]);
  let next = 0;
  const lines: string[] = [];
  for (const m of quoted.matchAll(/\[([^[\]\n]{1,2})\]/gu)) {
    const at = m.index;
    const letters = m[1];
    if (!LETTERS.test(letters) || !(WORD.test(quoted[at - 1] ?? '') || WORD.test(quoted[at + m[0].length] ?? ''))) continue;
    const span = bracketedWord(quoted, at, at + m[0].length);
    const written = quoted.slice(span.start, span.end);
    const plain = written.replace(/[[\]]/gu, '');
    const found = sourceWords.findIndex((w, i) => i >= next && w.toLowerCase() === plain.toLowerCase());
    if (found < 0) continue;
    next = found + 1;
    const offset = quoted.slice(span.start, at).replace(/[[\]]/gu, '').length;
    const source = sourceWords[found].slice(offset, offset + letters.length);
    const change =
      source === letters ? 'the same case as the source' : letters === letters.toUpperCase() ? `capital ${letters} for ${source}` : `small ${letters} for ${source}`;
    lines.push(`- ~~${escapeMarkdown(written)}~~ → **${escapeMarkdown(sourceWords[found])}** (${escapeMarkdown(change)})`);
  }
  return lines;
}

/** `[sic]`, `(emphasis added)`: marks of the writer's that stand for nothing in the source. */
function editorialMarks(quoted: string): string[] {
  return [...quoted.matchAll(EDITORIAL)].map((m) => `- ${escapeMarkdown(m[0])} (an editorial mark)`);
}

/** Hover for a quotation: verdict, passage, source, word diff, other sources with the same words. */
export function quotationHover(corpus: Corpus, judged: JudgedQuotation): string {
  const { judgement } = judged;
  const verdict = verdictLine(judgement);
  const place = preferredPlace(judged) ?? verdict.place;
  const lines: string[] = [];
  const where = place ? ` — ${escapeMarkdown(describePlace(place))}` : '';
  lines.push(`**${verdict.line}**${where}`);
  // The word diff comes first: a hover is short, and what changed matters most.
  if ((judgement.verdict === 'changed' || judgement.verdict === 'other-source-changed') && judgement.changes.length > 0) {
    lines.push('', 'Changes (quotation → source):');
    for (const change of judgement.changes) {
      const quoted = change.quotation ? `~~${escapeMarkdown(change.quotation)}~~` : '(nothing)';
      const source = change.source ? `**${escapeMarkdown(change.source)}**` : '(nothing)';
      lines.push(`- ${quoted} → ${source}`);
    }
  }
  const quotedWords = judgedWords(judged).text;
  const editorial =
    place && judgement.verdict === 'convention' ? [...editorialChanges(judged, place), ...caseChanges(quotedWords, place), ...editorialMarks(quotedWords)] : [];
  if (editorial.length > 0) lines.push('', 'Editorial changes (quotation → source):', ...editorial);
  if (place) {
    lines.push('', passage(place), '', describeSource(place.source));
  }
  if (isVerified(judgement)) {
    const elsewhere = judgeQuotation(
      corpus,
      judgedWords(judged).text,
      corpus.sources.filter((s) => !judged.citedKeys.includes(s.key)).map((s) => s.key),
    );
    const others = isVerified(elsewhere) ? elsewhere.places : [];
    if (others.length > 0) lines.push('', `Also in: ${others.map((p) => escapeMarkdown(describePlace(p))).join(', ')}`);
  }
  return lines.join('\n');
}

/** Hover for a citation key: the source's metadata and the cited paragraph (or its opening one). */
export function citationHover(corpus: Corpus, item: NoteCitationItem): string | undefined {
  const source = corpus.byKey.get(item.key);
  if (!source) return undefined;
  const named = namedParagraphs(source, item.locator)[0];
  const paragraph = source.paragraphs.find((p) => p.number === named) ?? source.paragraphs[0];
  const lines = [`**${escapeMarkdown(source.key)}** — ${describeSource(source)}`, ''];
  lines.push(`${source.paragraphs.length} paragraphs`);
  if (paragraph) lines.push('', `¶ ${paragraph.number}:`, '', `> ${escapeMarkdown(paragraph.text)}`);
  return lines.join('\n');
}

/** Hover for an uncited claim: why it counts as a claim, and the passages that may support it. */
export function claimHover(data: DiagnosticData): string {
  const lines = [`**Uncited claim** — it ${escapeMarkdown(data.reasons ?? 'states something checkable')}`];
  const candidates = data.candidates ?? [];
  if (candidates.length === 0) {
    lines.push('', 'Nothing in the corpus supports it.');
    return lines.join('\n');
  }
  lines.push('', 'Passages that may support it:');
  candidates.forEach((c, i) => lines.push('', `${i + 1}. **${escapeMarkdown(c.key)} ¶ ${c.paragraph}** — ${escapeMarkdown(c.excerpt)}`));
  return lines.join('\n');
}


/** Around the figure, this many characters of the passage either side. */
const FIGURE_CONTEXT = 240;

/** Hover for a figure the cited passage does not give: the message, and the passage with the figure it gives in bold. */
export function unsupportedFigureHover(message: string, data: DiagnosticData): string {
  const lines = [`**Unsupported figure** — ${escapeMarkdown(message)}`];
  const passage = data.passage;
  if (!passage) return lines.join('\n');
  const { text, start, end } = passage;
  // Context is cut at word boundaries, never mid-word.
  const from = start > FIGURE_CONTEXT ? text.indexOf(' ', start - FIGURE_CONTEXT) + 1 : 0;
  const to = text.length - end > FIGURE_CONTEXT ? text.lastIndexOf(' ', end + FIGURE_CONTEXT) : text.length;
  const before = (from > 0 ? '… ' : '') + escapeMarkdown(text.slice(from, start));
  const after = escapeMarkdown(text.slice(end, to)) + (to < text.length ? ' …' : '');
  const figure = end > start ? `**${escapeMarkdown(text.slice(start, end))}**` : '';
  lines.push('', `${escapeMarkdown(passage.key)} ¶ ${passage.paragraph}:`, '', `> ${`${before}${figure}${after}`.replace(/\s+/gu, ' ')}`);
  return lines.join('\n');
}
