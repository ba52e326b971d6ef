import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Corpus, Source } from '../corpus/corpus.js';
import { namedParagraphs } from '../corpus/pages.js';
import type { ParagraphText } from '../corpus/paragraphs.js';
import { figureDistance, figureIdentity, figureStanding, kindNoun, paragraphFigureReader, readFigures, yearsOfSource, type Figure } from '../claims/figures.js';
import type { NoteBlock, NoteCitation } from '../note/analyze.js';
import type { Span } from '../note/citations.js';
import { isWord, tokenize } from '../text/tokens.js';
import { MIN_QUOTATION_WORDS } from './judgements.js';
import { rangeOf, report, type DiagnosticData } from './report.js';

export interface UnsupportedOptions {
  corpus: Corpus;
}

/** What one citation item points at: the cited paragraphs, or every paragraph when it names none. */
interface Passage {
  readonly source: Source;
  readonly paragraphs: readonly ParagraphText[];
  /** The item names no paragraph (or page): the whole source is the passage. */
  readonly whole: boolean;
  /** The page locator as written (`p. 3`), when the item names pages: the passage is named by it, as the note names it. */
  readonly pages?: string;
}

/** A figure a passage gives, and the paragraph it stands in. */
interface Given {
  readonly figure: Figure;
  readonly source: Source;
  readonly paragraph: ParagraphText;
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/**
 * The passages a sentence's citations point at, or undefined when one of them cannot be read — an unknown key, a
 * source still being read, a locator naming what the source lacks: those are other checks' to report.
 */
function passagesOf(corpus: Corpus, citations: readonly NoteCitation[]): Passage[] | undefined {
  const passages: Passage[] = [];
  for (const item of citations.flatMap((c) => c.items)) {
    if (corpus.pending.has(item.key)) return undefined;
    const source = corpus.byKey.get(item.key);
    if (!source) return undefined;
    const locator = item.locator;
    if (!locator || locator.kind === 'other') {
      passages.push({ source, paragraphs: source.paragraphs, whole: true });
      continue;
    }
    const named = new Set(namedParagraphs(source, locator));
    const paragraphs = source.paragraphs.filter((p) => named.has(p.number));
    if (paragraphs.length === 0 || (locator.kind === 'paragraph' && paragraphs.length !== named.size)) return undefined;
    passages.push({ source, paragraphs, whole: false, pages: locator.kind === 'page' ? locator.text.replace(/\s+/gu, ' ').trim() : undefined });
  }
  return passages;
}

/** The sentence's prose with its citations and quotations blanked out: what is left is the writer's own claim. */
function claimText(block: NoteBlock, sentence: Span): string {
  let text = block.prose.text.slice(sentence.start, sentence.end);
  for (const span of [...block.citationSpans, ...block.quotationSpans]) {
    if (!overlaps(span, sentence)) continue;
    const from = Math.max(span.start, sentence.start) - sentence.start;
    const to = Math.min(span.end, sentence.end) - sentence.start;
    text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
  }
  return text;
}

/** `korybko2021 ¶ 6`, `korybko2021 ¶¶ 5–6`, `fiorina2022 p. 3` as cited, or just `korybko2021` for a whole source. */
function describePassage(passage: Passage): string {
  if (passage.whole) return passage.source.key;
  if (passage.pages) return `${passage.source.key} ${passage.pages}`;
  const numbers = passage.paragraphs.map((p) => p.number);
  const first = numbers[0];
  const last = numbers[numbers.length - 1];
  if (first === last) return `${passage.source.key} ¶ ${first}`;
  return last - first + 1 === numbers.length ? `${passage.source.key} ¶¶ ${first}–${last}` : `${passage.source.key} ¶ ${numbers.join(', ')}`;
}

/** A quotation of three words or more makes the sentence a quotation: its words are the quotation checks' to judge. */
function quotes(block: NoteBlock, sentence: Span): boolean {
  return block.quotationSpans.some((q) => overlaps(q, sentence) && tokenize(block.prose.text.slice(q.start, q.end)).filter(isWord).length >= MIN_QUOTATION_WORDS);
}

/**
 * The cited sentences, not quotations, that state figures: the only ones this check compares with their cited
 * passages (a PostgreSQL archive fetches those passages for them alone).
 */
export function* figureClaims(blocks: readonly NoteBlock[]): Generator<{ block: NoteBlock; sentence: Span; citations: NoteCitation[]; claimed: Figure[] }> {
  for (const block of blocks) {
    if (block.kind !== 'paragraph') continue;
    for (const sentence of block.sentences) {
      const citations = block.citations.filter((_, i) => overlaps(block.citationSpans[i], sentence));
      if (citations.length === 0 || quotes(block, sentence)) continue;
      const claimed = readFigures(claimText(block, sentence));
      if (claimed.length > 0) yield { block, sentence, citations, claimed };
    }
  }
}

/**
 * `claim-unsupported`: a sentence that carries a citation, and is not a quotation, states a figure — a
 * percentage, a sum, a count, a year, a date — that the cited paragraphs (the whole source, when the citation
 * names none) do not give in any form. The message names the passage's figure of the same kind nearest to it.
 */
export default function checkClaimUnsupported(options: UnsupportedOptions) {
  const { corpus } = options;
  const figuresIn = paragraphFigureReader();
  return (_tree: Root, file: VFile): void => {
    for (const { block, sentence, citations, claimed } of figureClaims(file.data.verbatim?.blocks ?? [])) {
      const passages = passagesOf(corpus, citations);
      if (!passages || passages.length === 0) continue;
      const given = passages.flatMap((passage) => passage.paragraphs.flatMap((paragraph) => figuresIn(paragraph).map((figure) => ({ figure, source: passage.source, paragraph }))));
      const dated = passages.flatMap((p) => yearsOfSource(p.source));
      const givenFigures = given.map((g) => g.figure);
      for (const figure of claimed) {
        if (figureStanding(figure, givenFigures, dated) === 'given') continue;
        reportUnsupported(file, block, sentence, figure, claimed, passages, given);
      }
    }
  };
}

/** The passage's figures of the claim's kind, nearest first, one per distinct figure. */
function sameKind(figure: Figure, given: readonly Given[]): Given[] {
  const seen = new Set<string>();
  return given
    .filter((g) => figureDistance(g.figure, figure) < Number.POSITIVE_INFINITY)
    .sort((a, b) => figureDistance(a.figure, figure) - figureDistance(b.figure, figure))
    .filter((g) => {
      const identity = figureIdentity(g.figure);
      if (seen.has(identity)) return false;
      seen.add(identity);
      return true;
    });
}

function reportUnsupported(file: VFile, block: NoteBlock, sentence: Span, figure: Figure, claimed: readonly Figure[], passages: readonly Passage[], given: readonly Given[]): void {
  const span = { start: block.prose.documentStart(sentence.start + figure.start), end: block.prose.documentEnd(sentence.start + figure.end) };
  const written = figure.text.replace(/\s+/gu, ' ').trim();
  const kin = sameKind(figure, given);
  const nearest = kin.at(0);
  if (!nearest) {
    const where = passages.map(describePassage);
    const verb = where.length === 1 ? 'gives' : 'give';
    const [first] = passages;
    const one = passages.length === 1 && !first.whole && first.paragraphs.length === 1 ? first.paragraphs[0] : undefined;
    report(file, 'claim-unsupported', `${written} is not in ${where.join(' or ')}, which ${verb} no ${kindNoun(figure.kind)}`, span, {
      key: first.source.key,
      paragraphs: first.whole ? undefined : first.paragraphs.map((p) => p.number),
      // The one cited paragraph is what the hover shows, with no figure of its own to mark.
      passage: one ? { key: first.source.key, paragraph: one.number, text: one.text, start: 0, end: 0 } : undefined,
    });
    return;
  }
  const passage = passages.find((p) => p.source === nearest.source && p.paragraphs.includes(nearest.paragraph)) ?? passages[0];
  const offered = nearest.figure.text.replace(/\s+/gu, ' ').trim();
  const where = describePassage(passage);
  // A whole source or a page holds many paragraphs: the one with the figure is named.
  const wide = passage.whole || passage.pages !== undefined;
  const at = wide ? ` (¶ ${nearest.paragraph.number})` : '';
  // In the fix's title the paragraph joins the source, as the brackets already hold it: "(petrov2021 ¶ 3)".
  const titled = passage.whole ? `${where} ¶ ${nearest.paragraph.number}` : passage.pages ? `${where}, ¶ ${nearest.paragraph.number}` : where;
  const data: DiagnosticData = {
    key: nearest.source.key,
    paragraphs: [nearest.paragraph.number],
    passage: { key: nearest.source.key, paragraph: nearest.paragraph.number, text: nearest.paragraph.text, start: nearest.figure.start, end: nearest.figure.end },
  };
  // One figure of the kind that the sentence does not already state: the repair is unambiguous.
  const stated = new Set(claimed.map(figureIdentity));
  const options = kin.filter((g) => !stated.has(figureIdentity(g.figure)));
  if (options.length === 1 && options[0] === nearest) data.fix = { title: `Replace ${written} with ${offered} (${titled})`, range: rangeOf(file, span), newText: offered };
  report(file, 'claim-unsupported', `${where} gives ${offered}${at}, not ${written}`, span, data);
}
