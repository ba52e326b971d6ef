import { stemmer } from 'stemmer';
import type { Corpus, Source } from '../corpus/corpus.js';
import type { ParagraphText } from '../corpus/paragraphs.js';

/**
 * Ranks corpus paragraphs by relevance to a claim: BM25 over stemmed words,
 * with the claim's names, figures and dates weighted up. Built once per corpus,
 * on first use, from the paragraphs the corpus already holds.
 */

const STOPWORDS = new Set(
  'a an and are as at be been but by for from has had have he her his i in into is it its of on or our she so than that the their them then there these they this to was we were which who will with would not no do does did can could may might must should also about after before over under up out more most some such only own same too very just than'.split(' '),
);

export interface RankedParagraph {
  readonly source: Source;
  readonly paragraph: ParagraphText;
  readonly score: number;
  /** Share of the claim's weighted terms the paragraph contains (0–1). */
  readonly coverage: number;
  /** The same share among the terms that occur somewhere in the corpus. */
  readonly knownCoverage: number;
  /** The claim's key terms (names, figures, dates) found in the paragraph. */
  readonly keyTermsFound: number;
}

interface Posting {
  doc: number;
  tf: number;
}

const K1 = 1.2;
const B = 0.75;
const KEY_WEIGHT = 2.5;

function terms(text: string): string[] {
  return (text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [])
    .map((w) => w.replace(/['’]s$/u, ''))
    .filter((w) => !STOPWORDS.has(w))
    .map((w) => (/^\d/u.test(w) ? w : stemmer(w)));
}

export class ParagraphRanker {
  private readonly docs: { source: Source; paragraph: ParagraphText; length: number }[] = [];
  private readonly postings = new Map<string, Posting[]>();
  private readonly averageLength: number;

  constructor(corpus: Corpus) {
    let total = 0;
    for (const source of corpus.sources) {
      for (const paragraph of source.paragraphs) {
        const words = terms(paragraph.text);
        if (words.length < 4) continue; // titles and bylines support nothing
        const doc = this.docs.length;
        this.docs.push({ source, paragraph, length: words.length });
        total += words.length;
        const counts = new Map<string, number>();
        for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
        for (const [w, tf] of counts) {
          let list = this.postings.get(w);
          if (!list) this.postings.set(w, (list = []));
          list.push({ doc, tf });
        }
      }
    }
    this.averageLength = this.docs.length > 0 ? total / this.docs.length : 1;
  }

  private idf(term: string): number {
    const n = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5));
  }

  /** The best paragraphs for a claim, best first. `keyTerms` (names, figures, dates) weigh more. */
  rank(claim: string, keyTerms: readonly string[], count = 3): RankedParagraph[] {
    const keys = new Set(keyTerms.flatMap(terms));
    const query = new Map<string, number>();
    for (const term of terms(claim)) query.set(term, keys.has(term) ? KEY_WEIGHT : 1);
    for (const key of keys) query.set(key, KEY_WEIGHT);
    const totalWeight = [...query.entries()].reduce((n, [t, w]) => n + w * this.idf(t), 0);
    // Words no passage contains (a paraphrase's `backyard` against a source's `yard`) cannot tell passages apart,
    // and with their high idf they drown what a passage does share: coverage is also measured without them.
    const knownWeight = [...query.entries()].filter(([t]) => this.postings.has(t)).reduce((n, [t, w]) => n + w * this.idf(t), 0);
    const scores = new Map<number, { score: number; covered: number; keys: number }>();
    for (const [term, weight] of query) {
      const idf = this.idf(term);
      for (const { doc, tf } of this.postings.get(term) ?? []) {
        const length = this.docs[doc].length;
        const part = (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / this.averageLength));
        const entry = scores.get(doc) ?? { score: 0, covered: 0, keys: 0 };
        entry.score += part;
        entry.covered += weight * idf;
        if (keys.has(term)) entry.keys++;
        scores.set(doc, entry);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1].score - a[1].score)
      .slice(0, count)
      .map(([doc, s]) => ({
        source: this.docs[doc].source,
        paragraph: this.docs[doc].paragraph,
        score: s.score,
        coverage: totalWeight > 0 ? s.covered / totalWeight : 0,
        knownCoverage: knownWeight > 0 ? s.covered / knownWeight : 0,
        keyTermsFound: s.keys,
      }));
  }
}

const rankers = new WeakMap<Corpus, ParagraphRanker>();

export function rankerFor(corpus: Corpus): ParagraphRanker {
  // A ranking reads every paragraph of the corpus, though a kept ranker reads none of them again.
  corpus.observer?.readAll();
  let ranker = rankers.get(corpus);
  if (!ranker) {
    ranker = new ParagraphRanker(corpus);
    rankers.set(corpus, ranker);
  }
  return ranker;
}

/**
 * A passage supports a claim when it shares a good part of the claim's
 * weighted words, names or figures among them — or most of the words the
 * corpus has at all and a fair part of the rest (a source that paraphrases,
 * as a spun copy does: `a chance to step up its function` for `an
 * opportunity to expand its role`).
 */
export function supports(candidate: RankedParagraph): boolean {
  const shares = candidate.coverage >= 0.4 || (candidate.knownCoverage >= 0.6 && candidate.coverage >= 0.3);
  return shares && candidate.keyTermsFound >= 1;
}
