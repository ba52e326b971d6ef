import type { Corpus, Source } from './corpus.js';
import type { CorpusProblem } from './bibliography.js';
import type { VocabularyLayer } from './index.js';
import { locateIn } from './index.js';
import type { CandidateIndex, SourceTokens, TokenVocabulary } from './store.js';

/**
 * Corpora composed rather than copied: a note whose front matter names its own
 * bibliographies sees the workspace corpus (all of it, or only the sources the
 * note's bibliographies share with it) and a second corpus of the sources only
 * the note names, tokenised over the workspace corpus's vocabulary so that the
 * two agree on every token id. Nothing of the workspace corpus is read or
 * tokenised again: its postings are read through, renumbered where a part is
 * left out.
 */

/** A vocabulary as the layer a new vocabulary continues (new tokens numbered after it). */
export function vocabularyLayer(vocabulary: TokenVocabulary): VocabularyLayer {
  const size = vocabulary.size;
  const kinds = vocabulary.kinds instanceof Uint8Array ? vocabulary.kinds.subarray(0, size) : Uint8Array.from({ length: size }, (_, i) => vocabulary.kinds[i]);
  const folded = vocabulary.folded instanceof Int32Array ? vocabulary.folded.subarray(0, size) : Int32Array.from({ length: size }, (_, i) => vocabulary.folded[i]);
  return {
    size,
    kinds,
    folded,
    findRange: (source, start, end) => vocabulary.lookup(source.slice(start, end)),
    text: (id) => vocabulary.text(id),
  };
}

/** One corpus's contribution: all of its sources, or those `keep` accepts. */
export interface CorpusPart {
  readonly corpus: Corpus;
  /** Which of its keys are seen (sources, and documents still being read); all when absent. */
  readonly keep?: (key: string) => boolean;
}

/** A source's tokens, renumbered into the composed corpus. */
class PlacedTokens implements SourceTokens {
  constructor(
    private readonly inner: SourceTokens,
    readonly ordinal: number,
    readonly base: number,
    readonly paragraphBase: number,
  ) {}

  get ids(): Int32Array {
    return this.inner.ids;
  }
  get paragraphFirstToken(): Int32Array {
    return this.inner.paragraphFirstToken;
  }
  get paragraphCount(): number {
    return this.inner.paragraphCount;
  }
  get tokenCount(): number {
    return this.inner.tokenCount;
  }
  paragraphIndexOf(t: number): number {
    return this.inner.paragraphIndexOf(t);
  }
  paragraphEndToken(p: number): number {
    return this.inner.paragraphEndToken(p);
  }
  tokenStart(t: number): number {
    return this.inner.tokenStart(t);
  }
  tokenEnd(t: number): number {
    return this.inner.tokenEnd(t);
  }
  excerpt(start: number, end: number): string {
    return this.inner.excerpt(start, end);
  }
}

/** The same source, its tokens placed in the composed corpus (its text and paragraphs still read when asked for). */
function placedSource(source: Source, indexed: SourceTokens): Source {
  return {
    key: source.key,
    path: source.path,
    get text() {
      return source.text;
    },
    format: source.format,
    get paragraphs() {
      return source.paragraphs;
    },
    pages: source.pages,
    metadata: source.metadata,
    item: source.item,
    indexed,
    hash: source.hash,
  };
}

/** How a part's positions map into the composed numbering. */
interface PartPlacement {
  readonly index: CandidateIndex;
  /** The composed base of each of the part's sources, by the part's ordinal (-1: left out). */
  readonly bases: Int32Array;
  /** Whether every source is kept, in order: positions then just shift by `offset`. */
  readonly whole: boolean;
  readonly offset: number;
}

class ComposedIndex implements CandidateIndex {
  constructor(
    readonly vocabulary: TokenVocabulary,
    readonly sources: readonly SourceTokens[],
    readonly tokenCount: number,
    private readonly parts: readonly PartPlacement[],
  ) {}

  positions(foldedId: number): Int32Array {
    const pieces: Int32Array[] = [];
    let length = 0;
    for (const part of this.parts) {
      const found = part.index.positions(foldedId);
      if (found.length === 0) continue;
      let placed: Int32Array;
      if (part.whole) placed = part.offset === 0 ? found : found.map((p) => p + part.offset);
      else {
        const kept: number[] = [];
        for (const position of found) {
          const { source, token } = part.index.locate(position);
          const base = part.bases[source.ordinal];
          if (base >= 0) kept.push(base + token);
        }
        placed = Int32Array.from(kept);
      }
      pieces.push(placed);
      length += placed.length;
    }
    if (pieces.length === 1) return pieces[0];
    const all = new Int32Array(length);
    let at = 0;
    for (const piece of pieces) {
      all.set(piece, at);
      at += piece.length;
    }
    return all;
  }

  frequency(foldedId: number): number {
    let total = 0;
    for (const part of this.parts) total += part.whole ? part.index.frequency(foldedId) : this.countKept(part, foldedId);
    return total;
  }

  private countKept(part: PartPlacement, foldedId: number): number {
    let count = 0;
    for (const position of part.index.positions(foldedId)) if (part.bases[part.index.locate(position).source.ordinal] >= 0) count++;
    return count;
  }

  locate(position: number): { source: SourceTokens; token: number } {
    return locateIn(this.sources, position);
  }
}

/**
 * The corpus of `parts`, in order, over `vocabulary` (the last part's: each
 * part after the first is tokenised over the one before it). A key in an
 * earlier part hides the same key in a later one. `problems` are the composed
 * corpus's own; the parts' problems are their folders', reported there.
 */
export function composeCorpora(parts: readonly CorpusPart[], vocabulary: TokenVocabulary, problems: readonly CorpusProblem[] = []): Corpus {
  const sources: Source[] = [];
  const tokens: SourceTokens[] = [];
  const byKey = new Map<string, Source>();
  const pending = new Set<string>();
  const excluded = new Set<string>();
  const placements: PartPlacement[] = [];
  let tokenCount = 0;
  let paragraphCount = 0;
  const seen = new Set<string>();
  for (const part of parts) {
    const bases = new Int32Array(part.corpus.sources.length).fill(-1);
    const offset = tokenCount;
    let whole = true;
    for (const source of part.corpus.sources) {
      if (seen.has(source.key) || (part.keep && !part.keep(source.key))) {
        if (!seen.has(source.key)) excluded.add(source.key);
        whole = false;
        continue;
      }
      seen.add(source.key);
      const indexed = new PlacedTokens(source.indexed, sources.length, tokenCount, paragraphCount);
      bases[source.indexed.ordinal] = tokenCount;
      tokenCount += indexed.tokenCount;
      paragraphCount += indexed.paragraphCount;
      const placed = placedSource(source, indexed);
      sources.push(placed);
      tokens.push(indexed);
      byKey.set(source.key, placed);
    }
    for (const key of part.corpus.pending) if (!seen.has(key) && (!part.keep || part.keep(key))) pending.add(key);
    placements.push({ index: part.corpus.index, bases, whole, offset });
  }
  for (const key of byKey.keys()) excluded.delete(key);
  return { sources, byKey, index: new ComposedIndex(vocabulary, tokens, tokenCount, placements), problems, pending, ...(excluded.size > 0 ? { excluded } : {}) };
}
