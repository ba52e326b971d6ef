import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Corpus } from '../corpus/corpus.js';
import type { CorpusReads } from '../corpus/reads.js';
import { AlignWorkspace } from '../match/align.js';
import { judgeQuotation, similarityOf, type Judgement, type JudgementOf } from '../match/judge.js';
import type { NoteQuotation } from '../note/analyze.js';
import { hasLineEndHyphen, readLineEndHyphens, type HyphenReading } from '../note/line-end-hyphens.js';
import type { MappedText } from '../text/mapped-text.js';

/** Fewer words than this, uncited, is a scare quote, not a claim to check. */
export const MIN_QUOTATION_WORDS = 3;

export interface JudgedQuotation {
  readonly quotation: NoteQuotation;
  readonly judgement: Judgement;
  /** How line-end hyphens in the quotation (copied from a PDF) were read; the judgement is of that reading. */
  readonly hyphens: HyphenReading;
  /** The cited keys the corpus knows (empty when the quotation is uncited). */
  readonly citedKeys: readonly string[];
}

declare module 'vfile' {
  interface DataMap {
    judged: JudgedQuotation[];
  }
}

/**
 * The diagnostic code a verdict is reported under, with the judgement narrowed to the verdicts of that code. Words
 * that are the cited source's have no code of their own (`verified`): the checks that read them further —
 * `locator-mismatch`, `quote-distorted` — look at their places. Every check, the hover and the editor's navigation
 * go through the verdict's type, so a new verdict does not compile until this switch, and each of them, handles it.
 */
export type VerdictCode =
  | { readonly code: 'verified'; readonly judgement: JudgementOf<'verbatim' | 'convention'> }
  | { readonly code: 'quote-mismatch'; readonly judgement: JudgementOf<'changed'> }
  | { readonly code: 'quote-wrong-source'; readonly judgement: JudgementOf<'other-source' | 'other-source-changed'> }
  | { readonly code: 'quote-not-found'; readonly judgement: JudgementOf<'not-found'> }
  | { readonly code: 'quote-uncited'; readonly judgement: JudgementOf<'found' | 'unfound'> };

export function verdictCode(judgement: Judgement): VerdictCode {
  switch (judgement.verdict) {
    case 'verbatim':
    case 'convention':
      return { code: 'verified', judgement };
    case 'changed':
      return { code: 'quote-mismatch', judgement };
    case 'other-source':
    case 'other-source-changed':
      return { code: 'quote-wrong-source', judgement };
    case 'not-found':
      return { code: 'quote-not-found', judgement };
    case 'found':
    case 'unfound':
      return { code: 'quote-uncited', judgement };
  }
}

/** Verdicts of an exact match: a line-end hyphen reading that gives one is the reading. */
function isExact(judgement: Judgement): boolean {
  switch (judgement.verdict) {
    case 'verbatim':
    case 'convention':
    case 'other-source':
    case 'found':
      return true;
    case 'changed':
    case 'other-source-changed':
    case 'not-found':
    case 'unfound':
      return false;
  }
}

/**
 * Judges the quotation as written, or — when it holds a hyphen at a line end,
 * as text copied from a PDF does — with that hyphen read as a line break
 * (`Tali-`/`ban`) or as part of the word (`well-`/`known`): the reading the
 * corpus holds word for word, else the closest one.
 */
function judgeReadings(quotation: NoteQuotation, judge: (text: string) => Judgement): { judgement: Judgement; hyphens: HyphenReading } {
  const asWritten = (): { judgement: Judgement; hyphens: HyphenReading } => ({ judgement: judge(quotation.prose.text), hyphens: 'as-written' });
  if (!hasLineEndHyphen(quotation.prose)) return asWritten();
  const readings = (['joined', 'hyphenated'] as const).map((hyphens) => ({ judgement: judge(readLineEndHyphens(quotation.prose, hyphens).text), hyphens }));
  const exact = readings.find((r) => isExact(r.judgement));
  if (exact) return exact;
  const closest = [...readings, asWritten()].reduce((best, r) => (similarityOf(r.judgement) > similarityOf(best.judgement) ? r : best));
  return closest;
}

/** The quotation's words as they were judged, mapped to the note. */
export function judgedWords(judged: JudgedQuotation): MappedText {
  return readLineEndHyphens(judged.quotation.prose, judged.hyphens);
}

export interface CorpusOptions {
  corpus: Corpus;
}

/**
 * Judges every quotation the note reader found against the corpus, once, for
 * all the quotation checks (and the hover) to read. A quotation whose citation
 * names only unknown keys is left to `unknown-source`: one problem, one
 * diagnostic.
 */
/** Judgements are pure functions of corpus, words and cited keys: a note that repeats a quotation judges it once. */
const JUDGEMENT_CACHE = 5000;

export default function remarkVerbatimJudge(options: CorpusOptions) {
  const { corpus } = options;
  // With what each judgement read of the corpus, told again to each unit that reuses it (see `CorpusReads`).
  const cache = new Map<string, { judgement: Judgement; reads?: CorpusReads }>();
  const workspace = new AlignWorkspace();
  const judge = (text: string, keys: readonly string[] | undefined): Judgement => {
    const key = `${keys ? keys.join(';') : '\u0000'}\u0001${text}`;
    const known = cache.get(key);
    if (known) {
      corpus.observer?.replay(known.reads);
      return known.judgement;
    }
    const run = (): Judgement => judgeQuotation(corpus, text, keys, workspace);
    let made: { judgement: Judgement; reads?: CorpusReads };
    if (corpus.observer) {
      const { value, reads } = corpus.observer.recorded(run);
      made = { judgement: value, reads };
    } else made = { judgement: run() };
    if (cache.size >= JUDGEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    cache.set(key, made);
    return made.judgement;
  };
  return (_tree: Root, file: VFile): void => {
    const judged: JudgedQuotation[] = [];
    for (const quotation of file.data.verbatim?.quotations ?? []) {
      const keys = quotation.citation?.items.map((i) => i.key);
      // A cited document still being read: judged once its text is in.
      if (keys?.some((k) => corpus.pending.has(k))) continue;
      const known = keys?.filter((k) => corpus.byKey.has(k));
      if (known !== undefined && known.length === 0) continue;
      const { judgement, hyphens } = judgeReadings(quotation, (text) => judge(text, known));
      if (!quotation.citation && judgement.wordCount < MIN_QUOTATION_WORDS) continue;
      judged.push({ quotation, judgement, hyphens, citedKeys: known ?? [] });
    }
    file.data.judged = judged;
  };
}
