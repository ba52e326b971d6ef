import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NoteChecker } from '../engine/check.js';
import { displayPath, loadCorpus, readTextFile } from '../engine/corpus/load.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { isPostgresUrl } from '../engine/corpus/postgres/connection.js';
import { ClaimTagger } from '../engine/claims/detect.js';
import { summarize, verificationReport, type ReportNote } from '../engine/report/html.js';
import { collectNotes } from './notes.js';

export const REPORT_USAGE = `verbatim report [--corpus DIR] [-o FILE] [PATH...]
    Writes a verification report of the markdown notes at PATH (files, or
    folders searched for *.md; default: the current folder): one self-contained
    HTML page with the figures at the top, then every quotation of every note
    with its verdict, beside the source passage it was checked against.
    --corpus DIR     the corpus folder (default ./corpus)
    -o, --output F   the page to write (default report.html; - for standard output)
    Exit status: 0 written, 2 usage or configuration error.`;

export const REPORT_OPTIONS = {
  corpus: { type: 'string', default: 'corpus' },
  output: { type: 'string', short: 'o', default: 'report.html' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** A mistake in how `report` was called: exit 2. */
export class ReportUsageError extends Error {}

export async function runReport(args: string[], out: (s: string) => void, err: (s: string) => void, helpText: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: REPORT_OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    out(`${helpText}\n`);
    return 0;
  }
  const corpusDir = values.corpus;
  if (isPostgresUrl(corpusDir)) throw new ReportUsageError('report reads a corpus folder, not an archive: pass the folder the archive was indexed from');
  if (!existsSync(corpusDir)) throw new ReportUsageError(`Corpus folder not found: ${corpusDir}`);
  if (!statSync(corpusDir).isDirectory()) throw new ReportUsageError(`--corpus must be a folder: ${corpusDir} is a file`);
  const found: string[] = [];
  for (const path of positionals.length > 0 ? positionals : ['.']) {
    if (!existsSync(path)) throw new ReportUsageError(`No such file or folder: ${path}`);
    collectNotes(path, corpusDir, found);
  }
  const seen = new Set<string>();
  const paths = found.filter((note) => !seen.has(resolve(note)) && seen.add(resolve(note)));

  const corpus = await loadCorpus(corpusDir, { cache: new FolderExtractionCache(join(userCacheFolder(), 'extracted')), indexCache: userCacheFolder() });
  const checker = new NoteChecker(corpus, { claims: { tagger: await ClaimTagger.load() } });
  const notes: ReportNote[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const read = readTextFile(path);
    // An unreadable note is named on standard error; the others are still reported.
    if ('problem' in read) unreadable.push(`${displayPath(path)}: ${read.problem}`);
    else notes.push({ path: displayPath(path), result: checker.check(read.text) });
  }
  const page = verificationReport(notes, { corpus: displayPath(corpusDir) });
  const summary = summarize(notes);
  const figures = `${notes.length} ${notes.length === 1 ? 'note' : 'notes'}, ${summary.quotations} quotations`;
  if (values.output === '-') out(page);
  else {
    writeFileSync(values.output, page);
    out(`${values.output}: ${figures}\n`);
  }
  for (const line of unreadable) err(`verbatim: cannot read ${line}\n`);
  return 0;
}
