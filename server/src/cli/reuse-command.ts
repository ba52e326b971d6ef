import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadCorpus, displayPath } from '../engine/corpus/load.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { isPostgresUrl } from '../engine/corpus/postgres/connection.js';
import { findReuse, type ReusePair, type ReuseReport, type ReuseSide } from '../engine/reuse/reuse.js';

export const REUSE_USAGE = `verbatim reuse [--corpus DIR] [--format text|json]
    Lists the passages the corpus's sources share: paragraphs with a run of
    eight or more words in common (verbatim), and paragraphs whose words
    largely align though few runs survive (paraphrased, as a spun copy of a
    wire story is). Each pair reads origin ¶ → copy ¶, the earlier-dated
    source first; when the dates cannot tell, a source that sets the shared
    words in quotation marks is the copy; otherwise the pair is marked ↔ and
    which way the text went is not known.
    --corpus DIR   the corpus folder (default ./corpus)
    --format       text (one line per pair of paragraphs) or json
    Exit status: 0 done, 2 usage error.`;

export const REUSE_OPTIONS = {
  corpus: { type: 'string', default: 'corpus' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** A mistake in how `reuse` was called: exit 2. */
export class ReuseUsageError extends Error {}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

function sourceLabel(side: ReuseSide): string {
  return `${side.key} (${side.date ?? 'undated'})`;
}

/** `¶ 3 → ¶ 5  paraphrased  41 words, 76% of ¶ 3, 71% of ¶ 5`, and a verbatim run's wording. */
function pairLine(pair: ReusePair): string {
  const arrow = pair.direction === 'unknown' ? '↔' : '→';
  const line = `  ¶ ${pair.origin.paragraph} ${arrow} ¶ ${pair.copy.paragraph}  ${pair.kind.padEnd(11)} ${pair.sharedWords} words shared, ${percent(pair.origin.share)} of ¶ ${pair.origin.paragraph}, ${percent(pair.copy.share)} of ¶ ${pair.copy.paragraph}`;
  if (pair.kind !== 'verbatim' || pair.runText === undefined) return line;
  const run = pair.runText.replace(/\s+/gu, ' ');
  return `${line}\n      longest run, ${pair.longestRun} words: “${run.length > 120 ? `${run.slice(0, 119)}…` : run}”`;
}

/** Pairs grouped by pair of sources, a heading for each: origin → copy, or ↔ with why the direction is unknown. */
function formatReuseText(report: ReuseReport): string {
  const lines: string[] = [];
  let heading = '';
  for (const pair of report.pairs) {
    const direction = pair.direction === 'unknown' ? '↔' : '→';
    const next = `${sourceLabel(pair.origin)} ${direction} ${sourceLabel(pair.copy)}`;
    if (next !== heading) {
      heading = next;
      const undated = [pair.origin, pair.copy].filter((side) => side.date === undefined).map((side) => side.key);
      const dates = undated.length > 0 ? `${undated.join(' and ')} undated` : 'same date';
      const why =
        pair.direction === 'dates' ? '' : pair.direction === 'quotation' ? `  (${dates}; ${pair.copy.key} quotes the words)` : `  (direction unknown: ${dates})`;
      if (lines.length > 0) lines.push('');
      lines.push(`${heading}${why}`);
    }
    lines.push(pairLine(pair));
  }
  // Two sources are one pair however their paragraphs' pairs are directed (one quoted, another copied unmarked).
  const sourcePairs = new Set(report.pairs.map((pair) => [pair.origin.key, pair.copy.key].sort().join('\u0000'))).size;
  if (lines.length > 0) lines.push('');
  lines.push(
    `${report.pairs.length} ${report.pairs.length === 1 ? 'pair' : 'pairs'} of paragraphs in ${sourcePairs} ${sourcePairs === 1 ? 'pair' : 'pairs'} of sources ` +
      `(${report.sources} sources, ${report.candidates} candidate ${report.candidates === 1 ? 'pair' : 'pairs'} of paragraphs compared)`,
  );
  return `${lines.join('\n')}\n`;
}

function jsonSide(side: ReuseSide): Record<string, unknown> {
  return { key: side.key, path: displayPath(side.path), date: side.date ?? null, paragraph: side.paragraph, words: side.words, share: Number(side.share.toFixed(3)) };
}

function formatReuseJson(report: ReuseReport): string {
  const pairs = report.pairs.map((pair) => ({
    origin: jsonSide(pair.origin),
    copy: jsonSide(pair.copy),
    kind: pair.kind,
    direction: pair.direction,
    sharedWords: pair.sharedWords,
    longestRun: pair.longestRun,
    runText: pair.runText ?? null,
  }));
  return `${JSON.stringify({ version: 1, sources: report.sources, candidates: report.candidates, pairs }, null, 2)}\n`;
}

export async function runReuse(args: string[], out: (s: string) => void, err: (s: string) => void, helpText: string): Promise<number> {
  const { values } = parseArgs({ args, options: REUSE_OPTIONS, strict: true });
  if (values.help) {
    out(`${helpText}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new ReuseUsageError(`--format must be "text" or "json", not "${format}"`);
  const dir = values.corpus;
  if (isPostgresUrl(dir)) throw new ReuseUsageError('--corpus must be a folder: reuse does not read a PostgreSQL archive yet');
  const corpus = await loadCorpus(dir, { cache: new FolderExtractionCache(join(userCacheFolder(), 'extracted')), indexCache: userCacheFolder() }).catch((error: unknown) => {
    // The loader is the one that touches the folder: its failure to list it is the user's mistake, said plainly.
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') throw new ReuseUsageError(`Corpus folder not found: ${dir}`);
    if (code === 'ENOTDIR') throw new ReuseUsageError(`--corpus must be a folder: ${dir} is a file`);
    throw error;
  });
  // A source that could not be read is left out of the comparison: say which, and why.
  for (const problem of corpus.problems) {
    const where = problem.range ? `:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : '';
    err(`${displayPath(problem.path)}${where}: ${problem.severity}: ${problem.message}\n`);
  }
  const report = findReuse(corpus);
  out(format === 'json' ? formatReuseJson(report) : formatReuseText(report));
  return 0;
}
