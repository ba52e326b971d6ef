// The phases of an index build in one thread, each timed in CPU time (the work done, apart from the wait for a
// core on a shared machine): read, decode, lay out in paragraphs, tokenise and intern, hash, postings, encode as a
// segment. Prints one JSON line a round, with a digest of the segment, so that two builds can be told to give the
// same bytes. `node scripts/build.mjs --bench && node out/build-phases.js DIR [ROUNDS]` (plain-text sources only).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CorpusIndex, spansOfText, type SpanList } from '../server/src/engine/corpus/index.js';
import { contentHash, encodeSegment, wholeSegment, type SourceStamp } from '../server/src/engine/corpus/stored-index.js';
import { decodeText } from '../server/src/engine/text/decode.js';

const [dir, roundsArg] = process.argv.slice(2);
const paths = readdirSync(dir)
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .map((name) => join(dir, name));

/** Runs `step`, adding its CPU milliseconds to `phases[name]`, and gives its result. */
function timed<T>(phases: Record<string, number>, name: string, step: () => T): T {
  const from = process.cpuUsage();
  const result = step();
  const used = process.cpuUsage(from);
  phases[name] = (phases[name] ?? 0) + (used.user + used.system) / 1000;
  return result;
}

for (let round = 0; round < Number(roundsArg ?? 1); round++) {
  const phases: Record<string, number> = {};
  const index = new CorpusIndex();
  const stamps: SourceStamp[] = [];
  let bytes = 0;
  for (const path of paths) {
    const read = timed(phases, 'read', () => readFileSync(path));
    bytes += read.byteLength;
    const decoded = timed(phases, 'decode', () => decodeText(read));
    if (!('text' in decoded)) continue;
    const text = decoded.text;
    const spans: SpanList = timed(phases, 'layout', () => spansOfText(text, false));
    timed(phases, 'tokenise', () => index.addSource(text, spans, () => [], false));
    stamps.push({ path, hash: timed(phases, 'hash', () => contentHash(text)), markdown: false });
  }
  timed(phases, 'postings', () => index.seal());
  const segment = timed(phases, 'encode', () => encodeSegment(wholeSegment(index, stamps)));
  const ms = Object.fromEntries(Object.entries(phases).map(([name, value]) => [name, Math.round(value)]));
  const total = Object.values(phases).reduce((n, value) => n + value, 0);
  const megabytes = bytes / 1e6;
  process.stdout.write(
    `${JSON.stringify({ megabytes: Number(megabytes.toFixed(1)), ...ms, totalMs: Math.round(total), tokeniseMBps: Number((megabytes / (phases.tokenise / 1000)).toFixed(1)), digest: createHash('sha1').update(segment).digest('hex').slice(0, 12) })}\n`,
  );
}
