import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { describePlace, quoteSnippet } from './describe.js';
import { judgedWords, verdictCode, type JudgedQuotation } from './judgements.js';
import { rangeOf, report, type DiagnosticData } from './report.js';
import { excerpt } from '../corpus/excerpt.js';
import type { ConventionEdit, JudgementOf, SourcePlace } from '../match/judge.js';
import type { PatternGap, PatternToken } from '../match/pattern.js';
import type { Span } from '../note/citations.js';
import { sentenceStarts } from '../note/sentences.js';
import { tokenize, TokenKind, type Token } from '../text/tokens.js';

/** Words that turn a statement into its opposite. `cannot` is `can not` written as one word. */
const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'nor', 'hardly', 'cannot']);
/** Words that limit a statement: a contrast or a condition. (`only if` is two words, read apart.) */
const LIMITS = new Set(['but', 'however', 'unless', 'except']);
/** `n't` inside a contraction; the tokeniser reads every apostrophe as `"`. */
const CONTRACTED = /n["']t$/u;
/** An omission this long is quoted as a window around its first sense word, this many words either side. */
const LONG_OMISSION_WORDS = 14;
const WINDOW_WORDS = 4;
/** Sense words at most this many words apart are quoted in one window. */
const SPREAD_WORDS = 10;
/** The ellipsis as the writer typed it: `…`, `...`, `. . .`, four dots, any of them in brackets. */
const ELLIPSIS = /\[?(?:…|\.\s?\.\s?\.(?:\s?\.)?)\]?/u;

function isNegation(word: string): boolean {
  const lower = word.toLowerCase();
  return NEGATIONS.has(lower) || CONTRACTED.test(lower);
}

/** The words among `tokens` that turn or limit the sense, as `[first, last]` token indices (`only if` spans two). */
function senseWords(tokens: readonly Token[], negationsOnly: boolean): [number, number][] {
  const found: [number, number][] = [];
  const words = tokens.flatMap((t, i) => (t.kind === TokenKind.Word ? [{ lower: t.text.toLowerCase(), i }] : []));
  words.forEach(({ lower, i }, w) => {
    if (isNegation(lower)) found.push([i, i]);
    else if (negationsOnly) return;
    else if (LIMITS.has(lower)) found.push([i, i]);
    else if (lower === 'only' && words[w + 1]?.lower === 'if') found.push([i, words[w + 1].i]);
  });
  return found;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function listed(items: readonly string[]): string {
  const quoted = [...new Set(items)].map((s) => `"${s}"`);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** What one edit does to the sense, if it turns it: the words to name, the source's context, the note span. */
interface Distortion {
  edit: ConventionEdit;
  named: string[];
  context: string;
}

/**
 * The source around an edit — its last word before, the words it covers, its first word after — and where
 * the covered words stand in that stretch.
 */
function stretchOf(place: SourcePlace, edit: ConventionEdit): { text: string; start: number; end: number } {
  const { text, format } = place.source;
  const markdown = format === 'markdown';
  const start = excerpt(text, edit.before.start, edit.start, markdown).length;
  const end = start + excerpt(text, edit.start, edit.end, markdown).length;
  return { text: excerpt(text, edit.before.start, edit.after.end, markdown), start, end };
}

/**
 * The stretch as the message quotes it: whole when short; else from a few words before its first sense word
 * to a few after its last, or, when they stand far apart, a few either side of the first.
 */
function window(stretch: string, tokens: readonly Token[], first: number, last: number): string {
  const words = tokens.filter((t) => t.kind === TokenKind.Word);
  if (words.length <= LONG_OMISSION_WORDS) return stretch;
  const a = words.findIndex((t) => t.start >= tokens[first].start);
  let b = words.findIndex((t) => t.start >= tokens[last].start);
  if (b - a > SPREAD_WORDS) b = a;
  const from = words[Math.max(0, a - WINDOW_WORDS)];
  const to = words[Math.min(words.length - 1, b + WINDOW_WORDS)];
  return stretch.slice(from.start, to.end);
}

/**
 * An ellipsis that leaves out, inside one source sentence, a word that turns the sense (a negation) or limits
 * it (a contrast or a condition). "Inside one sentence": retext's English parser — the one that splits the
 * note's own sentences — reads the source's words around the omission, and the omission must not reach past
 * a sentence's end (nor a paragraph's); leaving out whole sentences, or the rest of one, is fine.
 */
function omissionDistortion(place: SourcePlace, edit: ConventionEdit): Distortion | undefined {
  if (edit.acrossParagraphs || edit.start === edit.end) return undefined;
  const stretch = stretchOf(place, edit);
  const tokens = tokenize(stretch.text);
  const inside = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.start >= stretch.start && t.end <= stretch.end);
  const found = senseWords(
    inside.map(({ t }) => t),
    false,
  ).map(([a, b]) => [inside[a].i, inside[b].i] as const);
  if (found.length === 0) return undefined;
  // A sentence that starts within the omission, or right after it, means the omission reached a sentence's end.
  const afterStart = tokens[tokens.length - 1].start;
  if (sentenceStarts(stretch.text).some((s) => s > stretch.start && s <= afterStart)) return undefined;
  return {
    edit,
    named: found.map(([a, b]) => stretch.text.slice(tokens[a].start, tokens[b].end)),
    context: window(stretch.text, tokens, found[0][0], found[found.length - 1][1]),
  };
}

/** A bracket whose words hold a negation where the source words it stands in for hold none. */
function bracketDistortion(place: SourcePlace, edit: ConventionEdit, bracket: string): Distortion | undefined {
  const inner = tokenize(bracket.slice(1, -1));
  const added = senseWords(inner, true);
  if (added.length === 0) return undefined;
  const stretch = stretchOf(place, edit);
  const replaced = tokenize(stretch.text.slice(stretch.start, stretch.end));
  if (senseWords(replaced, true).length > 0) return undefined;
  return { edit, named: added.map(([a, b]) => bracket.slice(1 + inner[a].start, 1 + inner[b].end)), context: stretch.text };
}

/** The note span of the quotation text's `[start, end)`. */
function noteSpan(judged: JudgedQuotation, start: number, end: number): Span {
  const words = judgedWords(judged);
  return { start: words.documentStart(start), end: words.documentEnd(end) };
}

/** Whether a repair over `span` would cross a blockquote's line break (and drop its `>` markers). */
function crossesBlockquoteLine(file: VFile, judged: JudgedQuotation, span: Span): boolean {
  return judged.quotation.kind === 'block' && /[\r\n]/u.test(String(file.value).slice(span.start, span.end));
}

/** Reports an omission: at the ellipsis; the repair puts the source's words back between the quoted ones. */
function reportOmission(file: VFile, judged: JudgedQuotation, place: SourcePlace, d: Distortion, data: DiagnosticData): void {
  const pieces = judged.judgement.pattern.conventional ?? [];
  const tokensOf = (p: number): PatternToken[] => (pieces[p] ?? []).filter((e): e is PatternToken => e.kind === 'token');
  const before = tokensOf(d.edit.index).at(-1);
  const after = tokensOf(d.edit.index + 1).at(0);
  if (!before || !after) return;
  const words = judgedWords(judged);
  const text = words.text;
  const mark = ELLIPSIS.exec(text.slice(before.end, after.start));
  const at = mark ? noteSpan(judged, before.end + mark.index, before.end + mark.index + mark[0].length) : judged.quotation.span;
  const between = { start: words.documentEnd(before.end), end: words.documentStart(after.start) };
  const { text: source, format } = place.source;
  const restored = excerpt(source, d.edit.before.end, d.edit.after.start, format === 'markdown');
  const fix = crossesBlockquoteLine(file, judged, between)
    ? undefined
    : { title: `Restore the omitted words: "${quoteSnippet(restored)}"`, range: rangeOf(file, between), newText: restored };
  report(file, 'quote-distorted', `The ellipsis leaves out ${listed(d.named)} (${describePlace(place)}): the source says "… ${d.context} …"`, at, { ...data, fix });
}

/** Reports a bracket: at the bracket; the repair puts back the source's words it stands in for (or none). */
function reportBracket(file: VFile, judged: JudgedQuotation, place: SourcePlace, d: Distortion, gap: PatternGap, data: DiagnosticData): void {
  const at = noteSpan(judged, gap.start, gap.end);
  const { text: source, format } = place.source;
  const words = excerpt(source, d.edit.start, d.edit.end, format === 'markdown');
  // With no source words in its place, the bracket goes with one space beside it.
  const document = String(file.value);
  const span = words ? at : document.charAt(at.end) === ' ' ? { start: at.start, end: at.end + 1 } : document.charAt(at.start - 1) === ' ' ? { start: at.start - 1, end: at.end } : at;
  const title = words ? `Restore the source's words: "${quoteSnippet(words)}"` : `Remove "${document.slice(at.start, at.end)}"`;
  const fix = crossesBlockquoteLine(file, judged, span) ? undefined : { title, range: rangeOf(file, span), newText: words };
  report(file, 'quote-distorted', `The bracket adds ${listed(d.named)}, which the source does not say (${describePlace(place)}): the source has "… ${d.context} …"`, at, { ...data, fix });
}

/** Every edit of `place` that turns the sense, in the quotation's order (omissions first, then brackets). */
function distortionsAt(place: SourcePlace, gaps: readonly PatternGap[], text: string): Distortion[] {
  const found: Distortion[] = [];
  for (const edit of place.edits ?? []) {
    const gap = gaps[edit.index] as PatternGap | undefined;
    const distortion = edit.kind === 'omission' ? omissionDistortion(place, edit) : gap ? bracketDistortion(place, edit, text.slice(gap.start, gap.end)) : undefined;
    if (distortion) found.push(distortion);
  }
  return found;
}

/**
 * The place the quotation is read at: among the places at its cited paragraphs (all places, if none is), the
 * most compact. The finder lists every start it can match from, so an ellipsis may also bridge to the same
 * words a paragraph later; the writer left out the least, and the charitable reading is the shortest.
 */
function readingOf(judged: JudgedQuotation, places: readonly SourcePlace[]): SourcePlace {
  const cited = new Set<number>();
  for (const item of judged.quotation.citation?.items ?? []) {
    if (item.locator?.kind === 'paragraph') for (const n of item.locator.paragraphs ?? []) cited.add(n);
  }
  const atCited = places.filter((p) => p.paragraphs.some((n) => cited.has(n)));
  const candidates = atCited.length > 0 ? atCited : places;
  return candidates.reduce((best, p) => (p.end - p.start < best.end - best.start ? p : best));
}

/**
 * `quote-distorted`: the words are the source's by the conventions, but an ellipsis leaves out, inside one
 * sentence, a negation, contrast or condition, or a bracket adds a negation.
 */
export default function checkQuoteDistorted() {
  return (_tree: Root, file: VFile): void => {
    for (const judged of file.data.judged ?? []) {
      const reported = verdictCode(judged.judgement);
      if (reported.code !== 'verified' || reported.judgement.verdict !== 'convention') continue;
      const judgement: JudgementOf<'convention'> = reported.judgement;
      const pieces = judgement.pattern.conventional ?? [];
      // A case change (`[T]he`) or an editorial mark alone edits nothing of the source's words.
      if (pieces.length < 2 && !pieces.some((piece) => piece.some((e) => e.kind === 'gap'))) continue;
      const text = judgedWords(judged).text;
      const gaps = pieces.flat().filter((e): e is PatternGap => e.kind === 'gap');
      const place = readingOf(judged, judgement.places);
      const distortions = distortionsAt(place, gaps, text);
      if (distortions.length === 0) continue;
      const data: DiagnosticData = { key: place.source.key, paragraphs: [...place.paragraphs] };
      for (const d of distortions) {
        if (d.edit.kind === 'omission') reportOmission(file, judged, place, d, data);
        else reportBracket(file, judged, place, d, gaps[d.edit.index], data);
      }
    }
  };
}
