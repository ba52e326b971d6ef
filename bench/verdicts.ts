// Every verdict the benchmark's workload gets, in full, so that a change to lookups can be shown to change none:
// `node out/verdicts.js DIR CACHE --write FILE` judges each drawn quotation once over the folder's index on disk
// (CACHE must hold it: `node out/index-disk.js DIR CACHE cold`) and writes one line per quotation — the verdict,
// its places (source, paragraphs, offsets, edits), word changes, similarity, expected wording, pieces and nearest
// place; `--compare FILE` judges again and reports each line that differs from FILE's (exit code 1 if any).
import { readFileSync, writeFileSync } from 'node:fs';
import { buildCorpus } from '../server/src/engine/corpus/corpus.js';
import { openIndex, readCorpusFiles } from '../server/src/engine/corpus/load.js';
import { judgeQuotation, type Judgement, type SourcePlace } from '../server/src/engine/match/judge.js';
import { drawQuotations } from './workload.js';

const [dir, cache, flag, file] = process.argv.slice(2);
if (!dir || !cache || (flag !== '--write' && flag !== '--compare') || !file) {
  process.stderr.write('usage: node out/verdicts.js DIR CACHE (--write | --compare) FILE\n');
  process.exit(2);
}

function placeOf(place: SourcePlace): unknown {
  return { key: place.source.key, paragraphs: place.paragraphs, start: place.start, end: place.end, edits: place.edits };
}

/** Everything a judgement says, as plain data (getters resolved). */
function digest(judgement: Judgement): unknown {
  const base = { verdict: judgement.verdict, words: judgement.wordCount };
  switch (judgement.verdict) {
    case 'verbatim':
    case 'convention':
    case 'other-source':
    case 'found':
      return { ...base, places: judgement.places.map(placeOf) };
    case 'changed':
    case 'other-source-changed':
      return { ...base, place: placeOf(judgement.place), changes: judgement.changes, similarity: judgement.similarity, expected: judgement.expected };
    case 'not-found':
      return {
        ...base,
        pieces: judgement.pieces?.map((p) => ({ text: p.text, cited: p.cited.map(placeOf), elsewhere: p.elsewhere && placeOf(p.elsewhere) })),
        nearest: judgement.nearest && placeOf(judgement.nearest),
      };
    case 'unfound':
      return base;
  }
}

const index = openIndex(cache, dir);
if (!index.stored) throw new Error(`no index of ${dir} under ${cache}: build it with out/index-disk.js first`);
const files = readCorpusFiles(dir, { stored: index.stored });
const corpus = buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { stored: index.stored });
const lines = drawQuotations(corpus).map((q) => JSON.stringify({ kind: q.kind, text: q.text, judged: digest(judgeQuotation(corpus, q.text, [q.key])) }));

if (flag === '--write') {
  writeFileSync(file, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.length} verdicts written to ${file}\n`);
} else {
  const expected = readFileSync(file, 'utf8').trimEnd().split('\n');
  const differing = lines.filter((line, i) => line !== expected[i]);
  if (expected.length !== lines.length) process.stdout.write(`${file} holds ${expected.length} verdicts, this run ${lines.length}\n`);
  for (const line of differing.slice(0, 10)) process.stdout.write(`differs: ${line}\n   was: ${expected[lines.indexOf(line)]}\n`);
  process.stdout.write(`${lines.length - differing.length} of ${lines.length} verdicts the same as ${file}\n`);
  process.exitCode = differing.length > 0 || expected.length !== lines.length ? 1 : 0;
}
