import type { Corpus, CorpusObserver, Source } from './corpus.js';

/**
 * What a check read of the corpus, so that its result can be kept when the
 * corpus changes and nothing it read did. Reads fall in four kinds, from the
 * narrowest to the widest:
 *
 * - a key looked up (`byKey`, `pending`, `excluded`): the result may change
 *   when that key's source is added, removed or changed;
 * - an exact search of the whole corpus for a pattern: the result may change
 *   only where a changed source (its old text or its new) holds every word of
 *   the pattern, since an occurrence is made of those words;
 * - the set of keys (their number, their names for a suggestion): it may
 *   change when a key comes or goes;
 * - anything else (a near search, whose weights read the whole corpus's word
 *   counts; a ranking over every paragraph): any change may change it.
 */
export class CorpusReads {
  readonly keys = new Set<string>();
  /** The word sets (lower-cased) of the patterns searched for in the whole corpus. */
  readonly patterns: (readonly string[])[] = [];
  keySet = false;
  all = false;

  add(other: CorpusReads): void {
    for (const key of other.keys) this.keys.add(key);
    for (const pattern of other.patterns) this.patterns.push(pattern);
    this.keySet ||= other.keySet;
    this.all ||= other.all;
  }
}

/**
 * A corpus as a check sees it, telling a `CorpusReads` what the check reads:
 * the corpus's own collections are wrapped so that a lookup by key counts as
 * that key, any other use of them as the key set or the whole corpus, and the
 * index as the whole corpus unless an exact search says what it looks for.
 */
export class ReadRecorder implements CorpusObserver {
  /** The corpus to give the check: reads of it are recorded. */
  readonly corpus: Corpus;
  private current: CorpusReads | undefined;
  private exactSearches = 0;

  constructor(readonly inner: Corpus) {
    const whole = (): void => this.readAll();
    const keySet = (): void => {
      if (this.current) this.current.keySet = true;
    };
    const key = (k: string): void => {
      this.current?.keys.add(k);
    };
    const sources = positionalView(inner.sources, keySet, whole);
    // The keys of `byKey` are the key set; its sources, the whole corpus.
    const byKey = keyedView(inner.byKey, key, (property) => (property === 'keys' || property === 'size' ? keySet() : whole()));
    const pending = keyedView(inner.pending, key, keySet);
    const excluded = inner.excluded ? keyedView(inner.excluded, key, keySet) : undefined;
    // Only an exact search says what it reads of the index; any other use of it reads the whole corpus.
    const index = (): Corpus['index'] => {
      if (this.exactSearches === 0) whole();
      return inner.index;
    };
    this.corpus = {
      get sources() {
        return sources;
      },
      byKey,
      get index() {
        return index();
      },
      problems: inner.problems,
      pending,
      excluded,
      partial: inner.partial,
      origin: inner.origin,
      observer: this,
    };
  }

  /** Runs `run` and returns what it read; what it read counts for the enclosing recording too. */
  recorded<T>(run: () => T): { value: T; reads: CorpusReads } {
    const outer = this.current;
    const reads = new CorpusReads();
    this.current = reads;
    try {
      return { value: run(), reads };
    } finally {
      this.current = outer;
      outer?.add(reads);
    }
  }

  replay(reads: CorpusReads | undefined): void {
    if (reads) this.current?.add(reads);
  }

  exactSearch<T>(patterns: readonly (readonly string[])[] | undefined, run: () => T): T {
    // A pattern with no words could be anywhere: its search reads the whole corpus.
    if (patterns?.some((p) => p.length === 0)) this.readAll();
    else if (patterns) for (const pattern of patterns) this.current?.patterns.push(pattern);
    this.exactSearches++;
    try {
      return run();
    } finally {
      this.exactSearches--;
    }
  }

  readAll(): void {
    if (this.current) this.current.all = true;
  }
}

type Keyed = ReadonlyMap<string, unknown> | ReadonlySet<string>;

/** A map or set whose `get` and `has` count as reads of that key, and every other use as `other`. */
function keyedView<T extends Keyed>(target: T, key: (k: string) => void, other: (property: string | symbol) => void): T {
  return new Proxy(target, {
    get(t, property) {
      if (property === 'get' || property === 'has') {
        return (k: string) => {
          key(k);
          return property === 'get' ? (t as ReadonlyMap<string, unknown>).get(k) : t.has(k);
        };
      }
      other(property);
      return bound(t, property);
    },
  });
}

/** An array whose items read by position (a place a search found) are no read of their own; its length is the key set, and every other use the whole. */
function positionalView(target: readonly Source[], keySet: () => void, whole: () => void): readonly Source[] {
  return new Proxy(target, {
    get(t, property) {
      if (typeof property === 'string' && /^\d+$/u.test(property)) return t[Number(property)];
      if (property === 'length') keySet();
      else whole();
      return bound(t, property);
    },
  });
}

function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

/** How a corpus changed: the keys whose source came, went or changed, and the words of those sources' old and new texts. */
export interface CorpusChange {
  readonly keys: ReadonlySet<string>;
  /** Whether a key came or went. */
  readonly keySet: boolean;
  /** Each changed source's words (lower-cased), old text and new. */
  readonly texts: readonly ReadonlySet<string>[];
  /** Whether so much changed that no result is worth keeping. */
  readonly everything: boolean;
}

/** Beyond this many changed sources, the words of each are not worth collecting: every result is made afresh. */
const MAX_CHANGED_SOURCES = 64;

export function corpusChange(before: Corpus, after: Corpus): CorpusChange {
  const keys = new Set<string>();
  let keySet = false;
  for (const [key, source] of before.byKey) {
    const now = after.byKey.get(key);
    if (!now) keySet = true;
    if (!now || !sameSource(source, now)) keys.add(key);
  }
  for (const key of after.byKey.keys()) {
    if (before.byKey.has(key)) continue;
    keySet = true;
    keys.add(key);
  }
  for (const key of before.pending) if (!after.pending.has(key)) keys.add(key);
  for (const key of after.pending) if (!before.pending.has(key)) keys.add(key);
  if (keys.size > MAX_CHANGED_SOURCES) return { keys, keySet, texts: [], everything: true };
  const texts: ReadonlySet<string>[] = [];
  for (const key of keys) {
    const old = before.byKey.get(key);
    const now = after.byKey.get(key);
    if (old) texts.push(wordsOf(before, old));
    if (now) texts.push(wordsOf(after, now));
  }
  return { keys, keySet, texts, everything: false };
}

/** Whether a change may change a result that read `reads`. */
export function affects(change: CorpusChange, reads: CorpusReads): boolean {
  if (change.everything) return true;
  if (change.keys.size === 0) return false;
  if (reads.all || (reads.keySet && change.keySet)) return true;
  for (const key of reads.keys) if (change.keys.has(key)) return true;
  return reads.patterns.some((pattern) => change.texts.some((words) => pattern.every((w) => words.has(w))));
}

/** The same source, read the same: path, format, text (by content hash when both have one), bibliography entry and metadata. */
function sameSource(a: Source, b: Source): boolean {
  if (a === b) return true;
  if (a.path !== b.path || a.format !== b.format) return false;
  const sameText = a.hash !== undefined && b.hash !== undefined ? a.hash === b.hash : a.text === b.text;
  return sameText && JSON.stringify(a.item) === JSON.stringify(b.item) && JSON.stringify(a.metadata) === JSON.stringify(b.metadata) && JSON.stringify(a.pages) === JSON.stringify(b.pages);
}

/** The distinct words of a source, lower-cased, as its corpus's index has them. */
function wordsOf(corpus: Corpus, source: Source): ReadonlySet<string> {
  const ids = new Set<number>(source.indexed.ids);
  const vocabulary = corpus.index.vocabulary;
  const words = new Set<string>();
  for (const id of ids) words.add(vocabulary.text(id).toLowerCase());
  return words;
}
