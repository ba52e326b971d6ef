// All-pairs text reuse over one corpus folder, in a process of its own: prints the load time, the time to find
// every reused passage (shingles, candidate pairs, comparison), what was found, and the process's peak memory.
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import { findReuse } from '../server/src/engine/reuse/reuse.js';

const loadStarted = performance.now();
const corpus = loadTextCorpus(process.argv[2]);
const loadMs = performance.now() - loadStarted;
const started = performance.now();
const report = findReuse(corpus);
const reuseMs = performance.now() - started;
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
  }),
);
