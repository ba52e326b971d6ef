// One load of a corpus with its index kept on disk, in a process of its own: prints its time and peak memory.
// `cold`: an empty cache (index built and written); `warm`: the index read back; `changed`: one source's text
// altered after reading, so that source alone is tokenised again and the file rewritten.
import { buildCorpus } from '../server/src/engine/corpus/corpus.js';
import { indexFilePath, readIndexFile, writeIndexFile } from '../server/src/engine/corpus/index-file.js';
import { readCorpusFiles } from '../server/src/engine/corpus/load.js';

const [dir, cache, mode] = process.argv.slice(2);
const started = performance.now();
const file = indexFilePath(cache, dir);
const stored = readIndexFile(file).stored;
const files = readCorpusFiles(dir, { stored });
const read = performance.now();
if (mode === 'changed') {
  // As if the file had been edited: new text, new stat.
  const m = files.sources.length >> 1;
  files.sources[m] = { path: files.sources[m].path, text: `${files.sources[m].text}\nA paragraph added at ${Date.now()}.\n`, size: -1, mtimeMs: -1 };
}
const corpus = buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { stored });
const built = performance.now();
const wrote = writeIndexFile(file, corpus);
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({ ms, readMs: read - started, buildMs: built - read, writeMs: performance.now() - built, wrote, reused: corpus.origin?.reused ?? 0, sources: corpus.sources.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 }),
);
