import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Corpus } from '../corpus/corpus.js';
import { judgeQuotation, type Judgement } from '../match/judge.js';
import type { NoteQuotation } from '../note/analyze.js';

/** Fewer words than this, uncited, is a scare quote, not a claim to check. */
export const MIN_QUOTATION_WORDS = 3;

export interface JudgedQuotation {
  readonly quotation: NoteQuotation;
  readonly judgement: Judgement;
  /** The cited keys the corpus knows (empty when the quotation is uncited). */
  readonly citedKeys: readonly string[];
}

declare module 'vfile' {
  interface DataMap {
    judged: JudgedQuotation[];
  }
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
  const cache = new Map<string, Judgement>();
  const judge = (text: string, keys: readonly string[] | undefined): Judgement => {
    const key = `${keys ? keys.join(';') : '\u0000'}\u0001${text}`;
    let known = cache.get(key);
    if (!known) {
      known = judgeQuotation(corpus, text, keys);
      if (cache.size >= JUDGEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      cache.set(key, known);
    }
    return known;
  };
  return (_tree: Root, file: VFile): void => {
    const judged: JudgedQuotation[] = [];
    for (const quotation of file.data.verbatim?.quotations ?? []) {
      const keys = quotation.citation?.items.map((i) => i.key);
      // A cited document still being read: judged once its text is in.
      if (keys?.some((k) => corpus.pending.has(k))) continue;
      const known = keys?.filter((k) => corpus.byKey.has(k));
      if (known !== undefined && known.length === 0) continue;
      const judgement = judge(quotation.prose.text, known);
      if (!quotation.citation && judgement.wordCount < MIN_QUOTATION_WORDS) continue;
      judged.push({ quotation, judgement, citedKeys: known ?? [] });
    }
    file.data.judged = judged;
  };
}
