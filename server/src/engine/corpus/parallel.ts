import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CorpusIndex, spansOfText, Vocabulary } from './index.js';
import { contentHash } from './stored-index.js';

/**
 * A first (cold) index build on every core: the sources' texts are shared
 * out among worker threads by size, each tokenises its share with a
 * vocabulary of its own, and the vocabularies are merged here (the first
 * taken over as it is, the others' ids mapped onto it). The postings are then
 * built once, over the corpus in order, as for any build.
 */

/** What a worker is sent: texts to tokenise. */
export interface TokeniseRequest {
  readonly sources: readonly { readonly text: string; readonly markdown: boolean }[];
}

/** A source tokenised, under its worker's (then the merged) vocabulary. */
export interface TokenisedSource {
  readonly ids: Int32Array;
  readonly paragraphFirstToken: Int32Array;
  /** Its content hash (see `contentHash`), taken in the worker too. */
  readonly hash: string;
}

/** What a worker sends back: its vocabulary and its sources' tokens. */
export interface TokeniseResult {
  readonly texts: string[];
  readonly kinds: Uint8Array;
  readonly folded: Int32Array;
  readonly sources: TokenisedSource[];
}

/** Tokenises `request`'s sources with a vocabulary of their own (run in a worker). */
export function tokeniseSources(request: TokeniseRequest): TokeniseResult {
  const index = new CorpusIndex();
  const sources = request.sources.map(({ text, markdown }): TokenisedSource => {
    const added = index.addSource(text, spansOfText(text, markdown), () => [], markdown);
    return { ids: added.ids, paragraphFirstToken: added.paragraphFirstToken, hash: contentHash(text) };
  });
  const { texts, kinds, folded } = index.vocabulary.added;
  return { texts: [...texts], kinds: kinds.slice(), folded: folded.slice(), sources };
}

/** The arrays a result's message moves to the other thread instead of copying. */
export function transferablesOf(result: TokeniseResult): ArrayBuffer[] {
  return [result.kinds.buffer, result.folded.buffer, ...result.sources.flatMap((s) => [s.ids.buffer, s.paragraphFirstToken.buffer])] as ArrayBuffer[];
}

/** Below this much text, starting threads costs more than it saves. */
const PARALLEL_CHARACTERS = 1 << 20;

/** How many threads tokenise: one a core, at least two only where there are two. */
function tokenisingThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Tokenises the sources on `threads` worker threads; the result is parallel
 * to `sources`, under one vocabulary. Undefined when there is less text than
 * `minimum` characters (starting threads would cost more than they save),
 * only one thread, or a thread fails (the caller then tokenises in this
 * thread). `workers` says how many worker threads ran. Run from source (no bundled worker script beside this module, as
 * under tsx) the shares are tokenised here, one after another, and merged
 * the same way.
 */
export async function tokeniseInParallel(
  sources: readonly { readonly text: string; readonly markdown: boolean }[],
  threads = tokenisingThreads(),
  minimum = PARALLEL_CHARACTERS,
): Promise<{ vocabulary: Vocabulary; sources: TokenisedSource[]; workers: number } | undefined> {
  const total = sources.reduce((n, s) => n + s.text.length, 0);
  if (threads < 2 || total < minimum) return undefined;
  const script = workerScript();
  // Largest first, each to the least loaded thread.
  const shares = Array.from({ length: threads }, () => ({ load: 0, members: [] as number[] }));
  const order = sources.map((_, i) => i).sort((a, b) => sources[b].text.length - sources[a].text.length);
  for (const i of order) {
    const least = shares.reduce((a, b) => (b.load < a.load ? b : a));
    least.members.push(i);
    least.load += sources[i].text.length;
  }
  const used = shares.filter((s) => s.members.length > 0);
  let results: TokeniseResult[];
  try {
    const requests = used.map((share): TokeniseRequest => ({ sources: share.members.map((i) => sources[i]) }));
    results = script ? await Promise.all(requests.map((request) => runWorker(script, request))) : requests.map(tokeniseSources);
  } catch {
    return undefined;
  }
  const vocabulary = Vocabulary.adopt(results[0].texts, results[0].kinds, results[0].folded);
  const out: TokenisedSource[] = new Array<TokenisedSource>(sources.length);
  results.forEach((result, r) => {
    if (r > 0) {
      const map = new Int32Array(result.texts.length);
      for (let j = 0; j < map.length; j++) map[j] = vocabulary.intern(result.texts[j], result.kinds[j]);
      for (const source of result.sources) {
        const ids = source.ids;
        for (let t = 0; t < ids.length; t++) ids[t] = map[ids[t]];
      }
    }
    used[r].members.forEach((i, k) => (out[i] = result.sources[k]));
  });
  return { vocabulary, sources: out, workers: script ? results.length : 0 };
}

/** The worker's script, bundled beside the bundle that runs (`dist/`, `out/`); none when run from source. */
function workerScript(): string | undefined {
  const path = join(__dirname, 'tokenise-worker.js');
  return existsSync(path) ? path : undefined;
}

function runWorker(script: string, request: TokeniseRequest): Promise<TokeniseResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: request });
    worker.once('message', (result: TokeniseResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the tokenising thread stopped with code ${code}`));
    });
  });
}
