// The corpus for `npm run bench -- --scale`: all the real prose on the machine (bench/prose.ts), then more
// documents made from it until the target size. A made document follows a real one line by line: a short line
// (a heading, a signature) is kept as it is, and each sentence of a longer line is replaced by a sentence
// recombined from two real ones (the head of one, cut at a random word, and the tail of another), so word
// frequencies, sentence and paragraph lengths stay those of the real text while most passages of six words or
// more occur once.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusFolder, realProse, type BenchCorpus } from './prose.js';
import { seededRandom } from './workload.js';

/** Lines with fewer words are kept as they are in a made document. */
const PROSE_LINE_WORDS = 8;
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z"'(])/u;

function wordsOf(text: string): string[] {
  return text.split(/\s+/u).filter((w) => w.length > 0);
}

/** A made document following `template` line by line (see the file comment). */
function recombined(template: string, pool: readonly string[][], next: () => number): string {
  const pick = (): string[] => pool[Math.floor(next() * pool.length)];
  const sentence = (): string => {
    const head = pick();
    const tail = pick();
    const cutHead = 2 + Math.floor(next() * (head.length - 2));
    const cutTail = 1 + Math.floor(next() * (tail.length - 2));
    return [...head.slice(0, cutHead), ...tail.slice(cutTail)].join(' ');
  };
  return template
    .split('\n')
    .map((line) => {
      if (wordsOf(line).length < PROSE_LINE_WORDS) return line;
      const indent = /^\s*/u.exec(line)?.[0] ?? '';
      return indent + line.trim().split(SENTENCE_END).map(sentence).join(' ');
    })
    .join('\n');
}

/**
 * Writes `targetBytes` of prose into `corpus-<N>mb` under `cacheDir` (reused when already built): the real
 * documents as `doc00001.txt`…, then made ones as `mix000001.txt`….
 */
export function buildScaleCorpus(root: string, targetBytes: number, cacheDir: string): BenchCorpus {
  const { dir, manifestPath, built } = corpusFolder(cacheDir, targetBytes);
  if (built) return built;
  let bytes = 0;
  let files = 0;
  const origins: Record<string, number> = {};
  const templates: string[] = [];
  const pool: string[][] = [];
  for (const doc of realProse(root)) {
    if (bytes >= targetBytes) break;
    files++;
    writeFileSync(join(dir, `doc${String(files).padStart(5, '0')}.txt`), doc.text);
    const size = Buffer.byteLength(doc.text);
    bytes += size;
    origins.real = (origins.real ?? 0) + size;
    templates.push(doc.text);
    for (const line of doc.text.split('\n')) {
      if (wordsOf(line).length < PROSE_LINE_WORDS) continue;
      for (const sentence of line.trim().split(SENTENCE_END)) {
        const words = wordsOf(sentence);
        if (words.length >= 4) pool.push(words);
      }
    }
  }
  const next = seededRandom(500);
  for (let made = 0; bytes < targetBytes && pool.length > 0; made++) {
    const text = recombined(templates[made % templates.length], pool, next);
    files++;
    writeFileSync(join(dir, `mix${String(made + 1).padStart(6, '0')}.txt`), text);
    const size = Buffer.byteLength(text);
    bytes += size;
    origins.recombined = (origins.recombined ?? 0) + size;
  }
  const corpus: BenchCorpus = { dir: resolve(dir), bytes, files, origins };
  writeFileSync(manifestPath, JSON.stringify(corpus, null, 2));
  return corpus;
}
