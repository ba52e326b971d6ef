// The benchmark's note: 2,000 lines with 500 quotations drawn from the corpus, of every kind the checker
// tells apart, each cited the way a writer would (correctly, or to the wrong source).
import type { Corpus, Source } from '../server/src/engine/corpus/corpus.js';
import { tokenize, TokenKind } from '../server/src/engine/text/tokens.js';

export type QuotationKind = 'exact' | 'typographic' | 'convention' | 'near' | 'wrong-source' | 'absent';

export interface BenchQuotation {
  kind: QuotationKind;
  text: string;
  /** The key the note cites. */
  key: string;
  /** Where the words came from (absent: nowhere). */
  from?: string;
  /** The paragraph they came from, when the note cites that source (so the citation can name it). */
  paragraph?: number;
}

/** A small seeded generator (mulberry32), so every run draws the same workload and every build makes the same corpus. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTS: Record<QuotationKind, number> = { exact: 100, typographic: 80, convention: 80, near: 100, 'wrong-source': 70, absent: 70 };

interface Passage {
  source: Source;
  paragraph: number;
  /** The passage as written in the source, and its words' offsets in it. */
  text: string;
  words: { start: number; end: number; text: string }[];
}

function pickPassage(corpus: Corpus, weights: readonly number[], next: () => number, minWords: number, maxWords: number): Passage {
  const total = weights.reduce((a, b) => a + b, 0);
  for (;;) {
    let target = next() * total;
    let source = corpus.sources[0];
    for (let i = 0; i < corpus.sources.length; i++) {
      target -= weights[i];
      if (target <= 0) {
        source = corpus.sources[i];
        break;
      }
    }
    if (source.paragraphs.length === 0) continue;
    const paragraph = source.paragraphs[Math.floor(next() * source.paragraphs.length)];
    const tokens = tokenize(paragraph.text).filter((t) => t.kind === TokenKind.Word);
    if (tokens.length < minWords) continue;
    const length = minWords + Math.floor(next() * (Math.min(maxWords, tokens.length) - minWords + 1));
    const first = Math.floor(next() * (tokens.length - length + 1));
    const words = tokens.slice(first, first + length);
    const text = paragraph.text.slice(words[0].start, words[words.length - 1].end);
    // Quotation marks inside would end the note's quotation early; markdown syntax would change its reading.
    if (/["“”[\]*_`<>\\|#]/u.test(text) || /\s{2,}/u.test(text)) continue;
    return { source, paragraph: paragraph.number, text, words: words.map((w) => ({ start: w.start - words[0].start, end: w.end - words[0].start, text: w.text })) };
  }
}

function typographic(text: string): string {
  return text.replace(/'/gu, '’').replace(/ - /gu, ' – ').replace(/\.\.\./gu, '…').replace(/ /gu, (m, i: number) => (i % 7 === 3 ? '\u00a0' : m));
}

function otherKey(corpus: Corpus, key: string, next: () => number): string {
  for (;;) {
    const candidate = corpus.sources[Math.floor(next() * corpus.sources.length)].key;
    if (candidate !== key) return candidate;
  }
}

export function drawQuotations(corpus: Corpus, seed = 2021): BenchQuotation[] {
  const next = seededRandom(seed);
  const known = corpus.index.vocabulary;
  const vocabulary = Array.from({ length: known.size }, (_, id) => known.text(id)).filter((w) => /^[a-z]{5,12}$/u.test(w));
  const word = (): string => vocabulary[Math.floor(next() * vocabulary.length)];
  const quotations: BenchQuotation[] = [];
  // Each source's length, once: a corpus whose texts are read from disk when asked for would read them all at every draw.
  const weights = corpus.sources.map((s) => s.text.length);
  for (const [kind, count] of Object.entries(COUNTS) as [QuotationKind, number][]) {
    for (let i = 0; i < count; i++) {
      if (kind === 'absent') {
        const words = Array.from({ length: 8 + Math.floor(next() * 8) }, word);
        quotations.push({ kind, text: words.join(' '), key: corpus.sources[Math.floor(next() * corpus.sources.length)].key });
        continue;
      }
      const passage = pickPassage(corpus, weights, next, kind === 'convention' ? 14 : 6, kind === 'convention' ? 28 : 20);
      const key = passage.source.key;
      let text = passage.text;
      if (kind === 'typographic') text = typographic(text);
      if (kind === 'convention') {
        const w = passage.words;
        if (i % 2 === 0) {
          // An omission marked by an ellipsis.
          const cut = 4 + Math.floor(next() * (w.length - 10));
          const resume = cut + 2 + Math.floor(next() * 3);
          text = `${passage.text.slice(0, w[cut - 1].end)} … ${passage.text.slice(w[resume].start)}`;
        } else {
          // Two to three words replaced by the writer's own, in brackets.
          const at = 2 + Math.floor(next() * (w.length - 6));
          text = `${passage.text.slice(0, w[at].start)}[the group]${passage.text.slice(w[at + 2].end)}`;
        }
      }
      if (kind === 'near') {
        const w = passage.words;
        const changes = 1 + Math.floor(next() * 3);
        const picks = new Set<number>();
        while (picks.size < Math.min(changes, w.length - 2)) picks.add(1 + Math.floor(next() * (w.length - 2)));
        let out = '';
        let last = 0;
        for (const p of [...picks].sort((a, b) => a - b)) {
          out += `${passage.text.slice(last, w[p].start)}${word()}`;
          last = w[p].end;
        }
        text = out + passage.text.slice(last);
      }
      const cited = kind === 'wrong-source' ? otherKey(corpus, key, next) : key;
      quotations.push({ kind, text, key: cited, from: key, ...(cited === key ? { paragraph: passage.paragraph } : {}) });
    }
  }
  return quotations;
}

const FILLER = [
  'This needs a second look before the draft goes out.',
  'The wording matters here more than the gist.',
  'Keep this next to the earlier passage when revising.',
  'That reading seems too generous to me.',
  'I will come back to this in the last section.',
];

/** The note: each quotation on a line of its own, with the writer's own lines between them, 2,000 lines in all. */
export function buildNote(quotations: readonly BenchQuotation[]): string {
  const lines: string[] = ['# Benchmark note', ''];
  quotations.forEach((q, i) => {
    lines.push(`Quotation ${i + 1} reads "${q.text}" [@${q.key}].`);
    lines.push('');
    lines.push(FILLER[i % FILLER.length]);
    lines.push('');
  });
  while (lines.length < 2000) lines.push(FILLER[lines.length % FILLER.length], '');
  return `${lines.slice(0, 2000).join('\n')}\n`;
}

/** The line of the note built by `buildNote` or `buildCitedNotes` that holds quotation `index` (0-based). */
export function quotationLine(index: number): number {
  return 2 + 4 * index;
}

/**
 * Twins of one note: each quotation cited with its paragraph, inline
 * (`"…" [@key, ¶ 4].`) in one and through a footnote (`"…".[^q1]`, with
 * `[^q1]: [@key, ¶ 4].` among the definitions at the end) in the other, as
 * writers who keep citations in footnotes do. A quotation that ends in a URL
 * is left out of both: the URL (a GFM autolink) would run on into a footnote
 * reference written right after it, and the twins would no longer say the same.
 */
export function buildCitedNotes(quotations: readonly BenchQuotation[]): { inline: string; footnotes: string; quotations: number } {
  const citation = (q: BenchQuotation): string => `@${q.key}${q.paragraph === undefined ? '' : `, ¶ ${q.paragraph}`}`;
  const inline: string[] = ['# Benchmark note', ''];
  const footnoted: string[] = ['# Benchmark note', ''];
  const definitions: string[] = [];
  const cited = quotations.filter((q) => !/(?:https?:\/\/|www\.)\S*$/u.test(q.text));
  cited.forEach((q, i) => {
    inline.push(`Quotation ${i + 1} reads "${q.text}" [${citation(q)}].`, '', FILLER[i % FILLER.length], '');
    footnoted.push(`Quotation ${i + 1} reads "${q.text}".[^q${i + 1}]`, '', FILLER[i % FILLER.length], '');
    definitions.push(`[^q${i + 1}]: [${citation(q)}].`);
  });
  return { inline: `${inline.join('\n')}\n`, footnotes: `${footnoted.join('\n')}\n${definitions.join('\n')}\n`, quotations: cited.length };
}
