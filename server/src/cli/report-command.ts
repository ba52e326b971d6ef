import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NoteSources } from '../engine/corpus/note-sources.js';
import { displayPath, loadCorpus, readTextFile } from '../engine/corpus/load.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { isPostgresUrl } from '../engine/corpus/postgres/connection.js';
import { ClaimTagger } from '../engine/claims/detect.js';
import { summarize, verificationReport, type ReportNote } from '../engine/report/html.js';
import { NoteChecks } from './note-checks.js';
import { collectNotes } from './notes.js';

export const REPORT_USAGE = `verbatim report [--corpus DIR] [-o FILE] [--front-matter-bibliography addition|instead] [PATH...]
    Writes a verification report of the markdown notes at PATH (files, or
    folders searched for *.md; default: the current folder): one self-contained
    HTML page with the figures at the top, then every quotation of every note
    with its verdict, beside the source passage it was checked against.
    --corpus DIR     the corpus folder (default ./corpus)
    -o, --output F   the page to write (default report.html; - for standard output)
    --front-matter-bibliography addition|instead
                     a note's own bibliography (front matter) adds to the
                     corpus (default) or replaces it, as for check
    Exit status: 0 written, 2 usage or configuration error.`;

export const REPORT_OPTIONS = {
  corpus: { type: 'string', default: 'corpus' },
  output: { type: 'string', short: 'o', default: 'report.html' },
  'front-matter-bibliography': { type: 'string', default: 'addition' },
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
  const frontMatter = values['front-matter-bibliography'];
  if (frontMatter !== 'addition' && frontMatter !== 'instead') throw new ReportUsageError(`--front-matter-bibliography must be "addition" or "instead", not "${frontMatter}"`);
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
  const extracted = new FolderExtractionCache(join(userCacheFolder(), 'extracted'));
  const checks = new NoteChecks(corpus, new NoteSources({ cache: extracted }), { frontMatter, claims: { tagger: await ClaimTagger.load() } });
  const notes: ReportNote[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const read = readTextFile(path);
    // An unreadable note is named on standard error; the others are still reported.
    if ('problem' in read) unreadable.push(`${displayPath(path)}: ${read.problem}`);
    else notes.push({ path: displayPath(path), result: await checks.check(path, read.text) });
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
