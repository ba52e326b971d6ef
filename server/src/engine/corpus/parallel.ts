import { Worker, type MessagePort } from 'node:worker_threads';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CorpusIndex, postingsOf, sparsePostingsOf, spansOfText } from './index.js';
import { contentHash, encodeSegment, tokenArrays, wholeSegment, type StoredSourceEntry } from './stored-index.js';
import { decodeText } from '../text/decode.js';
import type { Range } from '../text/lines.js';

/**
 * A first (cold) index build on every core. The sources are shared out by
 * size, one share a thread, each in corpus order; each
 * thread reads its files, decodes, hashes and tokenises them under a
 * vocabulary of its own, and writes its share as one segment of the index
 * file (tokens, paragraph starts, postings). The file's vocabulary is the
 * first share's, grown by the words only the others hold: the first thread
 * maps every other share's vocabulary onto its own and sends each its map,
 * and that share's ids are rewritten before its postings are built. The
 * calling thread only cuts the shares, passes the vocabularies on, and
 * writes the segments one after another. Lookups then merge the segments'
 * postings.
 */

/** A source of a first build: a text file to read, or a text already read (a document's extracted text). */
export interface ShareSource {
  readonly path: string;
  /** The text, when it is not to be read from `path` as UTF-8. */
  readonly text?: string;
  readonly markdown: boolean;
  readonly size?: number;
  readonly mtimeMs?: number;
}

/** What became of a source: its entry in the index file, or why its file is not text (and where). */
export type SourceOutcome = { readonly entry: StoredSourceEntry } | { readonly problem: string; readonly range?: Range };

/** A share's own vocabulary, as the first share maps it onto its own: the texts joined, with start offsets, and their hashes. */
interface ShareVocabulary {
  readonly joined: string;
  readonly starts: Int32Array;
  readonly kinds: Uint8Array;
  /** Each text's hash (see `hashOf`), so that the first share does not hash every text again. */
  readonly hashes: Int32Array;
}

/** Each other share's vocabulary ids mapped onto the first's, and the size of the vocabulary they make together. */
interface VocabularyMaps {
  readonly maps: Int32Array[];
  readonly size: number;
}

/** Where a share's ids go: its map onto the file's vocabulary, and that vocabulary's size. */
interface ShareMapping {
  readonly map: Int32Array;
  readonly size: number;
}

/** What a worker thread is started with. */
interface ShareJob {
  readonly sources: readonly ShareSource[];
  /** The first share merges the others' vocabularies into its own. */
  readonly first: boolean;
}

/** What a worker thread sends. */
type FromShare =
  | { readonly kind: 'progress'; readonly done: number }
  | ({ readonly kind: 'vocabulary' } & ShareVocabulary)
  | ({ readonly kind: 'maps' } & VocabularyMaps)
  | { readonly kind: 'segment'; readonly bytes: Uint8Array; readonly outcomes: SourceOutcome[] };

/** How often a thread reports the sources it has done. */
const PROGRESS_MS = 50;

/**
 * One share of a first build: its sources read and tokenised as it is made,
 * then written as one segment — under its own vocabulary grown by the other
 * shares' words (the first share), or with its ids mapped onto that
 * vocabulary (the others).
 */
class ShareBuilder {
  private readonly index = new CorpusIndex();
  private readonly entries: StoredSourceEntry[] = [];
  /** Parallel to the sources given. */
  readonly outcomes: SourceOutcome[] = [];

  constructor(sources: readonly ShareSource[], done?: () => void) {
    for (const source of sources) {
      this.outcomes.push(this.add(source));
      done?.();
    }
  }

  private add(source: ShareSource): SourceOutcome {
    let text = source.text;
    if (text === undefined) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(source.path);
      } catch (error) {
        return { problem: `Cannot read file: ${error instanceof Error ? error.message : String(error)}` };
      }
      const decoded = decodeText(bytes);
      if (!('text' in decoded)) return { problem: decoded.reason, range: decoded.range };
      text = decoded.text;
    }
    const added = this.index.addSource(text, spansOfText(text, source.markdown), () => [], source.markdown);
    const entry: StoredSourceEntry = { path: source.path, hash: contentHash(text), markdown: source.markdown, size: source.size, mtimeMs: source.mtimeMs, tokens: added.tokenCount, paragraphs: added.paragraphCount };
    this.entries.push(entry);
    return { entry };
  }

  /** The share's vocabulary, for the first share to map onto its own. */
  vocabulary(): ShareVocabulary {
    const vocabulary = this.index.vocabulary;
    const texts = vocabulary.texts;
    const starts = new Int32Array(texts.length + 1);
    texts.forEach((text, i) => (starts[i + 1] = starts[i] + text.length));
    return { joined: texts.join(''), starts, kinds: Uint8Array.from({ length: texts.length }, (_, i) => vocabulary.kinds[i]), hashes: vocabulary.addedHashes() };
  }

  /** (The first share.) Takes the other shares' words into this share's vocabulary, and maps each share's ids onto it. */
  merge(others: readonly ShareVocabulary[]): VocabularyMaps {
    const vocabulary = this.index.vocabulary;
    const maps = others.map(({ joined, starts, kinds, hashes }) => {
      const map = new Int32Array(kinds.length);
      for (let j = 0; j < map.length; j++) map[j] = vocabulary.internRange(joined, starts[j], starts[j + 1], hashes[j], kinds[j]);
      return map;
    });
    return { maps, size: vocabulary.size };
  }

  /**
   * The share as a segment: the first share's with the whole vocabulary, from
   * id 0; another's with its ids mapped onto it, adding no vocabulary.
   */
  segment(mapping?: ShareMapping): Buffer {
    if (!mapping) {
      this.index.seal();
      return encodeSegment(wholeSegment(this.index, this.entries));
    }
    const { map, size } = mapping;
    const own = this.index.vocabulary;
    const kinds = new Uint8Array(size);
    const folded = new Int32Array(size);
    for (let j = 0; j < map.length; j++) {
      kinds[map[j]] = own.kinds[j];
      folded[map[j]] = map[own.folded[j]];
    }
    for (const source of this.index.sources) {
      const ids = source.ids;
      for (let t = 0; t < ids.length; t++) ids[t] = map[ids[t]];
    }
    const { start, data } = postingsOf(this.index.sources, kinds, folded, size);
    const vocabulary = { first: size, texts: [], kinds: new Uint8Array(0), folded: new Int32Array(0), hashes: [], table: new Int32Array(8) };
    return encodeSegment({ sources: this.entries, vocabulary, ...tokenArrays(this.index), postings: sparsePostingsOf(start, data) });
  }
}

/** A worker thread's part (see `segment-worker.ts`): builds its share and answers the thread that started it. */
export function serveShare(port: MessagePort, job: ShareJob): void {
  let done = 0;
  let reported = performance.now();
  const report = (): void => {
    if (done > 0) port.postMessage({ kind: 'progress', done } satisfies FromShare);
    done = 0;
    reported = performance.now();
  };
  const builder = new ShareBuilder(job.sources, () => {
    done++;
    if (performance.now() - reported >= PROGRESS_MS) report();
  });
  report();
  const send = (mapping?: ShareMapping): void => {
    const bytes = builder.segment(mapping);
    port.postMessage({ kind: 'segment', bytes, outcomes: builder.outcomes } satisfies FromShare, [bytes.buffer as ArrayBuffer]);
  };
  if (job.first) {
    port.once('message', (others: ShareVocabulary[]) => {
      const merged = builder.merge(others);
      port.postMessage({ kind: 'maps', ...merged } satisfies FromShare, merged.maps.map((m) => m.buffer as ArrayBuffer));
      send();
    });
    return;
  }
  const vocabulary = builder.vocabulary();
  port.postMessage({ kind: 'vocabulary', ...vocabulary } satisfies FromShare, [vocabulary.starts.buffer as ArrayBuffer, vocabulary.kinds.buffer as ArrayBuffer, vocabulary.hashes.buffer as ArrayBuffer]);
  port.once('message', (mapping: ShareMapping) => send(mapping));
}

/** Below this many bytes of text, starting threads costs more than it saves. */
const PARALLEL_BYTES = 1 << 20;

/** How many threads build: one a core, up to four. */
function buildingThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export interface ParallelBuildOptions {
  /** How many worker threads (default: one a core, up to four). */
  threads?: number;
  /** Below this many bytes of text (default 1 MB) the build is left to the caller's thread. */
  minimum?: number;
  /** Told of sources done, a few at a time. */
  onProgress?: (done: number) => void;
}

/** A first build's segments, in order, and what became of each source (parallel to the sources given). */
export interface ParallelBuild {
  readonly segments: Uint8Array[];
  readonly outcomes: SourceOutcome[];
  /** How many worker threads ran (0 when run from source, the shares built one after another in this thread). */
  readonly workers: number;
}

/**
 * Builds the index segments of `sources` (in corpus order) on worker
 * threads. Undefined when there is too little text, one thread, or a thread
 * fails: the caller then builds in its own thread. Run from source (no
 * bundled worker script beside this module, as under tsx) the shares are
 * built here, one after another, the same way.
 */
export async function buildSegmentsInParallel(sources: readonly ShareSource[], options: ParallelBuildOptions = {}): Promise<ParallelBuild | undefined> {
  const threads = options.threads ?? buildingThreads();
  const weights = sources.map((s) => s.size ?? s.text?.length ?? 0);
  if (threads < 2 || weights.reduce((n, w) => n + w, 0) < (options.minimum ?? PARALLEL_BYTES)) return undefined;
  const shares = balancedShares(weights, threads);
  const script = workerScript();
  let built: { segments: Uint8Array[]; outcomes: SourceOutcome[][] };
  try {
    const sourcesOf = shares.map((share) => share.map((i) => sources[i]));
    built = script ? await buildOnWorkers(script, sourcesOf, options.onProgress) : buildHere(sourcesOf, options.onProgress);
  } catch {
    return undefined;
  }
  const outcomes = new Array<SourceOutcome>(sources.length);
  shares.forEach((share, k) => share.forEach((i, j) => (outcomes[i] = built.outcomes[k][j])));
  return { segments: built.segments, outcomes, workers: script ? shares.length : 0 };
}

/**
 * The sources' indices shared out in `count` shares of about equal weight,
 * none empty: the heaviest first, each to the lightest share (one large file
 * would leave a cut into runs of sources far from even). Each share keeps
 * corpus order, so that its positions need no sorting when merged.
 */
export function balancedShares(weights: readonly number[], count: number): number[][] {
  const shares = Array.from({ length: Math.min(count, weights.length) }, () => ({ weight: 0, members: [] as number[] }));
  const heaviestFirst = weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
  for (const i of heaviestFirst) {
    const lightest = shares.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.members.push(i);
    lightest.weight += weights[i];
  }
  return shares.map((share) => share.members.sort((a, b) => a - b));
}

function buildHere(shares: readonly (readonly ShareSource[])[], onProgress?: (done: number) => void): { segments: Uint8Array[]; outcomes: SourceOutcome[][] } {
  const builders = shares.map((share) => new ShareBuilder(share, () => onProgress?.(1)));
  const { maps, size } = builders[0].merge(builders.slice(1).map((b) => b.vocabulary()));
  const segments = builders.map((b, k) => b.segment(k === 0 ? undefined : { map: maps[k - 1], size }));
  return { segments, outcomes: builders.map((b) => b.outcomes) };
}

function buildOnWorkers(script: string, shares: readonly (readonly ShareSource[])[], onProgress?: (done: number) => void): Promise<{ segments: Uint8Array[]; outcomes: SourceOutcome[][] }> {
  const workers = shares.map((sources, k) => new Worker(script, { workerData: { sources, first: k === 0 } satisfies ShareJob }));
  const segments: Uint8Array[] = new Array<Uint8Array>(shares.length);
  const outcomes: SourceOutcome[][] = new Array<SourceOutcome[]>(shares.length);
  const vocabularies: ShareVocabulary[] = new Array<ShareVocabulary>(shares.length - 1);
  let awaitedVocabularies = shares.length - 1;
  let awaitedSegments = shares.length;
  const finished = new Set<number>();
  const built = new Promise<{ segments: Uint8Array[]; outcomes: SourceOutcome[][] }>((resolve, reject) => {
    const merge = (): void => workers[0].postMessage(vocabularies);
    workers.forEach((worker, k) => {
      worker.on('message', (message: FromShare) => {
        if (message.kind === 'progress') onProgress?.(message.done);
        else if (message.kind === 'vocabulary') {
          vocabularies[k - 1] = { joined: message.joined, starts: message.starts, kinds: message.kinds, hashes: message.hashes };
          if (--awaitedVocabularies === 0) merge();
        } else if (message.kind === 'maps') {
          message.maps.forEach((map, i) => workers[i + 1].postMessage({ map, size: message.size } satisfies ShareMapping, [map.buffer as ArrayBuffer]));
        } else {
          segments[k] = message.bytes;
          outcomes[k] = message.outcomes;
          finished.add(k);
          void worker.terminate();
          if (--awaitedSegments === 0) resolve({ segments, outcomes });
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (!finished.has(k)) reject(new Error(`an index-building thread stopped with code ${code}`));
      });
    });
    if (awaitedVocabularies === 0) merge();
  });
  return built.finally(() => {
    for (const worker of workers) void worker.terminate();
  });
}

/** The worker's script, bundled beside the bundle that runs (`dist/`, `out/`); none when run from source. */
function workerScript(): string | undefined {
  const path = join(__dirname, 'segment-worker.js');
  return existsSync(path) ? path : undefined;
}
