// All-pairs text reuse over one corpus folder, in a process of its own: prints the load time, the time to find
// every reused passage (shingles, candidate pairs, comparison), what was found, and the process's peak memory.
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import { findReuse, sourceReuseSteps } from '../server/src/engine/reuse/reuse.js';

const loadStarted = performance.now();
const corpus = loadTextCorpus(process.argv[2]);
const loadMs = performance.now() - loadStarted;
const started = performance.now();
const report = findReuse(corpus);
const reuseMs = performance.now() - started;

/** The editor's search for one source's reuse (the hover on its paragraphs): its time, pairs, and longest step between pauses. */
function searchOne(ordinal: number): { ms: number; longestStepMs: number; pairs: number } {
  const started = performance.now();
  const steps = sourceReuseSteps(corpus, corpus.sources[ordinal]);
  let longestStepMs = 0;
  for (let stepStart = performance.now(); ; stepStart = performance.now()) {
    const step = steps.next();
    longestStepMs = Math.max(longestStepMs, performance.now() - stepStart);
    if (step.done) return { ms: performance.now() - started, longestStepMs, pairs: step.value.length };
  }
}
// Five sources spread over the corpus order.
const sampled = [0, 1, 2, 3, 4].map((k) => searchOne(Math.floor((k * (corpus.sources.length - 1)) / 4)));
const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const perSource = {
  sampled: sampled.length,
  medianMs: sorted(sampled.map((s) => s.ms))[2],
  maxMs: sorted(sampled.map((s) => s.ms))[4],
  longestStepMs: Math.max(...sampled.map((s) => s.longestStepMs)),
  pairs: sampled.map((s) => s.pairs),
};
const count = (kind: string): number => report.pairs.filter((pair) => pair.kind === kind).length;
process.stdout.write(
  JSON.stringify({
    loadMs,
    reuseMs,
    sources: report.sources,
    tokens: corpus.index.tokenCount,
    shingles: report.shingles,
    boilerplate: report.boilerplate,
    candidates: report.candidates,
    verbatim: count('verbatim'),
    paraphrased: count('paraphrased'),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    perSource,
  }),
);
