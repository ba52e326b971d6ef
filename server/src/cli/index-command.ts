import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadCorpus, displayPath } from '../engine/corpus/load.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { ArchiveUnavailable, connectArchive, displayUrl, isPostgresUrl, reason } from '../engine/corpus/postgres/connection.js';
import { migrate } from '../engine/corpus/postgres/schema.js';
import { storeCorpus } from '../engine/corpus/postgres/store.js';

export const INDEX_USAGE = `verbatim index --corpus DIR --to postgres://USER@HOST/DB
    Loads the corpus folder (text, paragraphs, pages, metadata) into a
    PostgreSQL archive that "verbatim check --corpus postgres://…" and the
    editor read. Creates or migrates the schema first. Run it again after the
    folder changes: new sources are added, changed ones replaced, removed ones
    deleted, and unchanged ones left alone. New rows are loaded with COPY; a
    large load drops the search indexes and builds them after it.
    --corpus DIR   the corpus folder (default ./corpus)
    --to URL       the database (postgres://…; ?host=/socket/folder for a Unix socket)
    Exit status: 0 done, 2 usage or configuration error (the archive cannot be reached).`;

export const INDEX_OPTIONS = {
  corpus: { type: 'string', default: 'corpus' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** A mistake in how `index` was called, or an archive it cannot reach: exit 2. */
export class IndexUsageError extends Error {}

export async function runIndex(args: string[], out: (s: string) => void, helpText: string): Promise<number> {
  const { values } = parseArgs({ args, options: INDEX_OPTIONS, strict: true });
  if (values.help) {
    out(`${helpText}\n`);
    return 0;
  }
  const url = values.to;
  if (!url) throw new IndexUsageError('--to is required: the archive to write, postgres://…');
  if (!isPostgresUrl(url)) throw new IndexUsageError(`--to must be a postgres:// URL, not "${url}"`);
  const dir = values.corpus;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new IndexUsageError(`Corpus folder not found: ${dir}`);

  const started = performance.now();
  const corpus = await loadCorpus(dir, { cache: new FolderExtractionCache(join(userCacheFolder(), 'extracted')) });
  const client = await connectArchive(url);
  try {
    const applied = await migrate(client);
    if (applied.length > 0) out(`Schema migrated to version ${applied[applied.length - 1]}\n`);
    const report = await storeCorpus(client, corpus);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    out(
      `${displayPath(dir)} → ${displayUrl(url)}: ${corpus.sources.length} sources (${report.added.length} added, ${report.replaced.length} replaced, ` +
        `${report.unchanged} unchanged, ${report.removed.length} removed), ${report.paragraphs} paragraphs written${report.rebuiltIndexes ? ` (COPY ${(report.copyMs / 1000).toFixed(1)} s, search indexes built after it in ${(report.indexMs / 1000).toFixed(1)} s)` : ''}${report.postingWords > 0 ? `, postings of ${report.postingWords} words written in ${(report.postingsMs / 1000).toFixed(1)} s` : ''}, ${corpus.problems.length} problems, in ${seconds} s\n`,
    );
  } catch (error) {
    // A role that may not write (the editors' read-only one), a full disk: the archive's state, not a bug.
    throw new ArchiveUnavailable(`Cannot write the archive at ${displayUrl(url)}: ${reason(error)}`);
  } finally {
    await client.end();
  }
  return 0;
}
