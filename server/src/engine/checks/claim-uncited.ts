import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Corpus } from '../corpus/corpus.js';
import type { ParagraphText } from '../corpus/paragraphs.js';
import { explainClaim, type ClaimTagger, type Sensitivity } from '../claims/detect.js';
import { figureStanding, paragraphFigureReader, readFigures, yearsOfSource, type Figure } from '../claims/figures.js';
import { rankerFor, supports, type RankedParagraph } from '../claims/relevance.js';
import type { NoteBlock } from '../note/analyze.js';
import type { Span } from '../note/citations.js';
import { isWord, tokenize } from '../text/tokens.js';
import { quoteSnippet } from './describe.js';
import { MIN_QUOTATION_WORDS } from './judgements.js';
import { rangeOf, report } from './report.js';

export interface ClaimOptions {
  corpus: Corpus;
  /** The English tagger; without one (a language server's first moments, before it has loaded) claims are not read. */
  tagger?: ClaimTagger;
  /** `paragraph`: a citation anywhere in the paragraph attributes its claims; `sentence`: only in the sentence. */
  scope?: 'paragraph' | 'sentence';
  sensitivity?: Sensitivity;
}

const MAX_SENTENCE_LENGTH = 2000;

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** The sentence's prose with its citations blanked out, so `[@key, para. 5]` is not read as a figure. */
function sentenceText(block: NoteBlock, sentence: Span): string {
  let text = block.prose.text.slice(sentence.start, sentence.end);
  for (const c of block.citationSpans) {
    if (!overlaps(c, sentence)) continue;
    const from = Math.max(c.start, sentence.start) - sentence.start;
    const to = Math.min(c.end, sentence.end) - sentence.start;
    text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
  }
  return text;
}

/** How many passages a claim is offered, and how many of the best-ranked are weighed for a claim with figures. */
const MAX_SUGGESTIONS = 3;
const FIGURE_POOL = 10;

/** The sentence's figures, its quotations blanked too: the figures `claim-unsupported` reads once it is cited. */
function claimFigures(block: NoteBlock, sentence: Span, text: string): Figure[] {
  let own = text;
  for (const q of block.quotationSpans) {
    if (!overlaps(q, sentence)) continue;
    const from = Math.max(q.start, sentence.start) - sentence.start;
    const to = Math.min(q.end, sentence.end) - sentence.start;
    own = own.slice(0, from) + ' '.repeat(to - from) + own.slice(to);
  }
  return readFigures(own);
}

/**
 * The passages to suggest for a claim with figures: only those that give at least one of them — one whose
 * figures contradict the claim's (other figures of a kind, not the claim's), or that gives none of its figures,
 * would draw `claim-unsupported` once cited; those that give more of the claim's figures first, then by relevance.
 */
function byFigures(ranked: readonly RankedParagraph[], claimed: readonly Figure[], figuresIn: (paragraph: ParagraphText) => Figure[]): RankedParagraph[] {
  const weighed = ranked.map((candidate) => {
    const given = figuresIn(candidate.paragraph);
    const dated = yearsOfSource(candidate.source);
    const standings = claimed.map((figure) => figureStanding(figure, given, dated));
    return { candidate, contradicts: standings.includes('contradicted'), gives: standings.filter((s) => s === 'given').length };
  });
  return weighed
    .filter((w) => !w.contradicts && w.gives > 0)
    .sort((a, b) => b.gives - a.gives)
    .map((w) => w.candidate);
}

/** Where a citation goes: before the sentence's final mark (`… a week [@key, ¶ 3].`). */
function insertionPoint(block: NoteBlock, sentence: Span): number {
  const text = block.prose.text.slice(sentence.start, sentence.end);
  const trimmed = text.replace(/\s+$/u, '');
  const final = /[.!?…]["”’)]*$/u.exec(trimmed);
  // Before the final mark if there is one, else just after the last character (never past the prose's end).
  if (final) return block.prose.documentStart(sentence.start + trimmed.length - final[0].length);
  return block.prose.documentEnd(sentence.start + trimmed.length);
}

/** `claim-uncited`: a sentence that states something checkable, with no citation in reach. */
export default function checkClaimUncited(options: ClaimOptions) {
  const { corpus, tagger } = options;
  const scope = options.scope ?? 'paragraph';
  const sensitivity = options.sensitivity ?? 'medium';
  const figuresIn = paragraphFigureReader();
  return (_tree: Root, file: VFile): void => {
    // Until the tagger has loaded (the language server's first moments), claims wait; quotations do not.
    if (!tagger) return;
    for (const block of file.data.verbatim?.blocks ?? []) {
      // Headings and table cells are labels, not prose that asserts.
      if (block.kind !== 'paragraph') continue;
      if (scope === 'paragraph' && block.citations.length > 0) continue;
      for (const sentence of block.sentences) {
        if (block.citationSpans.some((c) => overlaps(c, sentence))) continue;
        // An uncited quotation is `quote-uncited`'s to report: one problem, one diagnostic.
        const quoted = block.quotationSpans.filter((q) => overlaps(q, sentence));
        if (quoted.some((q) => tokenize(block.prose.text.slice(q.start, q.end)).filter(isWord).length >= MIN_QUOTATION_WORDS)) continue;
        // A "sentence" of thousands of characters is not prose a writer wrote (a pasted table, a log).
        if (sentence.end - sentence.start > MAX_SENTENCE_LENGTH) continue;
        const text = sentenceText(block, sentence);
        const assessment = tagger.assess(text, sensitivity);
        if (!assessment.isClaim) continue;
        const claimed = claimFigures(block, sentence, text);
        const ranker = rankerFor(corpus);
        const pool = ranker.rank(text, assessment.keyTerms, claimed.length === 0 ? MAX_SUGGESTIONS : FIGURE_POOL).filter(supports);
        const candidates = claimed.length === 0 ? pool : byFigures(pool, claimed, figuresIn).slice(0, MAX_SUGGESTIONS);
        const at = insertionPoint(block, sentence);
        const reasons = explainClaim(assessment);
        // Passages that share its words but give other figures of its kinds are not offered: saying that nothing
        // supports the sentence would then be wrong (its facts may stand in two passages).
        const support = candidates.length > 0 ? '' : pool.length > 0 ? '; no one passage in the corpus gives its figures' : '; nothing in the corpus supports it';
        const span = { start: block.prose.documentStart(sentence.start), end: block.prose.documentEnd(sentence.start + text.replace(/\s+$/u, '').length) };
        report(file, 'claim-uncited', `Claim with no citation: it ${reasons}${support}`, span, {
          reasons,
          candidates: candidates.map((c) => ({ key: c.source.key, paragraph: c.paragraph.number, excerpt: quoteSnippet(c.paragraph.text, 90) })),
          alternatives: candidates.map((c) => ({
            title: `Cite ${c.source.key} ¶ ${c.paragraph.number} — "${quoteSnippet(c.paragraph.text, 60)}"`,
            range: rangeOf(file, { start: at, end: at }),
            newText: ` [@${c.source.key}, ¶ ${c.paragraph.number}]`,
          })),
        });
      }
    }
  };
}
