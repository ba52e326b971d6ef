// One index build in a process of its own: prints its time and the process's peak memory.
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';

const started = performance.now();
const corpus = loadTextCorpus(process.argv[2]);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, sources: corpus.sources.length, tokens: corpus.index.tokenCount, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
