import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { distance } from 'fastest-levenshtein';
import { NoteSources } from '../engine/corpus/note-sources.js';
import { loadCorpus, readTextFile, displayPath } from '../engine/corpus/load.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { problemDiagnostic, unreadableNoteDiagnostic, type Diagnostic, type SeverityOverrides } from '../engine/diagnostics.js';
import { CODES, isDiagnosticCode, type SeveritySetting } from '../engine/codes.js';
import { formatGithub, formatJson, formatText, type FileReport } from './format.js';
import { formatSarif } from './sarif.js';
import { launchLanguageServer } from '../lsp/launch.js';
import { ClaimTagger } from '../engine/claims/detect.js';
import type { Corpus } from '../engine/corpus/corpus.js';
import { StoredIndexError } from '../engine/corpus/stored-index.js';
import { ArchiveUnavailable, displayUrl, isPostgresUrl, reason } from '../engine/corpus/postgres/connection.js';
import { PostgresArchive } from '../engine/corpus/postgres/archive.js';
import { INDEX_OPTIONS, INDEX_USAGE, IndexUsageError, runIndex } from './index-command.js';
import { runMcpServer } from '../mcp/server.js';
import { REUSE_OPTIONS, REUSE_USAGE, ReuseUsageError, runReuse } from './reuse-command.js';
import { collectNotes } from './notes.js';
import { NoteChecks } from './note-checks.js';
import { REPORT_OPTIONS, REPORT_USAGE, ReportUsageError, runReport } from './report-command.js';

const CHECK_USAGE = `verbatim check [--corpus DIR|URL] [--format text|json|sarif|github] [--severity CODE=LEVEL]...
               [--claims-scope paragraph|sentence] [--claims-sensitivity low|medium|high]
               [--front-matter-bibliography addition|instead] [PATH...]
    Checks every quotation and citation in the markdown notes at PATH (files,
    or folders searched for *.md; default: the current folder) against the
    corpus (default ./corpus).
    --corpus DIR|URL      the corpus folder (default ./corpus), or a PostgreSQL
                          archive written by "verbatim index" (postgres://…)
    --format              text (file:line:col severity code message), json,
                          sarif (SARIF 2.1.0, for code scanning) or github
                          (GitHub Actions annotations)
    --severity CODE=LEVEL change a code's severity; LEVEL is error, warning,
                          information, hint or off (repeatable)
    --claims-scope        where a citation must stand for a claim: paragraph or sentence
    --claims-sensitivity  how much evidence makes a claim: low, medium or high
    --front-matter-bibliography
                          a note whose front matter names a bibliography or
                          references sees those sources in addition to the
                          corpus (default), or instead of it
    Exit status: 0 no errors, 1 errors found, 2 usage or configuration error.`;

const LSP_USAGE = `verbatim lsp --stdio
    Runs the language server over standard input and output.`;

const MCP_USAGE = `verbatim mcp [--corpus DIR]
    Runs a Model Context Protocol server over standard input and output, for
    AI writing assistants: tools check_note, verify_quote and find_passage,
    and the corpus's sources as resources.
    --corpus DIR   the corpus folder (default ./corpus)`;

const MCP_OPTIONS = {
  corpus: { type: 'string', default: 'corpus' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** `Usage:` and the commands' help, indented under it. */
const usage = (...commands: string[]): string => `Usage:\n${commands.map((c) => `  ${c.replaceAll('\n', '\n  ')}`).join('\n')}`;

const USAGE = usage(CHECK_USAGE, REPORT_USAGE, INDEX_USAGE, REUSE_USAGE, LSP_USAGE, MCP_USAGE, 'verbatim --version | --help');

class UsageError extends Error {}


/** The package's version: written into the bundle at build time (scripts/bundle-options.mjs). */
const VERSION = process.env.VERBATIM_VERSION ?? '0.0.0-development';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value);

function formatReports(format: Format, reports: readonly FileReport[], noteCount: number): string {
  switch (format) {
    case 'text':
      return formatText(reports, noteCount);
    case 'json':
      return formatJson(reports);
    case 'sarif':
      return formatSarif(reports, VERSION);
    case 'github':
      return formatGithub(reports, noteCount);
  }
}

const CHECK_OPTIONS = {
  corpus: { type: 'string', default: 'corpus' },
  format: { type: 'string', default: 'text' },
  severity: { type: 'string', multiple: true, default: [] as string[] },
  'claims-scope': { type: 'string', default: 'paragraph' },
  'claims-sensitivity': { type: 'string', default: 'medium' },
  'front-matter-bibliography': { type: 'string', default: 'addition' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** Each command's options, for the did-you-mean of a misspelt one. */
const COMMAND_OPTIONS = new Map<string, object>([
  ['check', CHECK_OPTIONS],
  ['report', REPORT_OPTIONS],
  ['index', INDEX_OPTIONS],
  ['reuse', REUSE_OPTIONS],
  ['mcp', MCP_OPTIONS],
]);

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** `--severity quote-mismatch=error` (repeatable). */
function readSeverities(entries: string[]): SeverityOverrides {
  const overrides: SeverityOverrides = {};
  for (const entry of entries) {
    const [code, level] = entry.split('=');
    if (!code || !isDiagnosticCode(code)) throw new UsageError(`--severity: unknown code "${code}" (codes: ${Object.keys(CODES).join(', ')})`);
    if (!level || !LEVELS.has(level)) throw new UsageError(`--severity ${code}: level must be error, warning, information, hint or off`);
    overrides[code] = level as SeveritySetting;
  }
  return overrides;
}

async function runCheck(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: CHECK_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    out(`${usage(CHECK_USAGE)}\n`);
    return 0;
  }
  const format = values.format;
  if (!isFormat(format)) throw new UsageError(`--format must be "text", "json", "sarif" or "github", not "${format}"`);
  const severity = readSeverities(values.severity);
  const scope = values['claims-scope'];
  if (scope !== 'paragraph' && scope !== 'sentence') throw new UsageError(`--claims-scope must be "paragraph" or "sentence", not "${scope}"`);
  const sensitivity = values['claims-sensitivity'];
  if (sensitivity !== 'low' && sensitivity !== 'medium' && sensitivity !== 'high') throw new UsageError(`--claims-sensitivity must be "low", "medium" or "high", not "${sensitivity}"`);
  const frontMatter = values['front-matter-bibliography'];
  if (frontMatter !== 'addition' && frontMatter !== 'instead') throw new UsageError(`--front-matter-bibliography must be "addition" or "instead", not "${frontMatter}"`);
  const corpusDir = values.corpus;
  const archived = isPostgresUrl(corpusDir);
  if (!archived && !existsSync(corpusDir)) throw new UsageError(`Corpus folder not found: ${corpusDir}`);
  if (!archived && !statSync(corpusDir).isDirectory()) throw new UsageError(`--corpus must be a folder: ${corpusDir} is a file`);
  const paths = positionals.length > 0 ? positionals : ['.'];
  const found: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`No such file or folder: ${path}`);
    collectNotes(path, corpusDir, found);
  }
  // A note named twice (or inside two named folders) is checked once.
  const seen = new Set<string>();
  const notes = found.filter((note) => !seen.has(resolve(note)) && seen.add(resolve(note)));

  const texts = new Map<string, string>();
  for (const note of notes) {
    const read = readTextFile(note);
    if ('text' in read) texts.set(note, read.text);
  }
  // A folder's index is kept in the per-user cache between runs: an unchanged corpus is not tokenised again.
  const load = (): Promise<Corpus> =>
    archived
      ? archiveCorpus(corpusDir, [...texts.values()])
      : loadCorpus(corpusDir, { cache: new FolderExtractionCache(join(userCacheFolder(), 'extracted')), indexCache: userCacheFolder() });
  const tagger = await ClaimTagger.load();
  const noteSources = new NoteSources({ cache: new FolderExtractionCache(join(userCacheFolder(), 'extracted')) });
  const checkAll = async (corpus: Corpus): Promise<FileReport[]> => {
    const reports: FileReport[] = [];
    const problemsByPath = new Map<string, Diagnostic[]>();
    for (const problem of corpus.problems) {
      const diagnostic = problemDiagnostic(problem, severity);
      if (!diagnostic) continue;
      const path = displayPath(problem.path);
      problemsByPath.set(path, [...(problemsByPath.get(path) ?? []), diagnostic]);
    }
    for (const [path, diagnostics] of problemsByPath) reports.push({ path, diagnostics });

    const checks = new NoteChecks(corpus, noteSources, { frontMatter, claims: { scope, sensitivity, tagger }, severity });
    for (const note of notes) {
      const text = texts.get(note);
      const read = text === undefined ? readTextFile(note) : { text };
      if ('problem' in read) {
        // One unreadable note is that note's problem; the others are still checked.
        const diagnostic = unreadableNoteDiagnostic(read, severity);
        reports.push({ path: note, diagnostics: diagnostic ? [diagnostic] : [] });
        continue;
      }
      reports.push({ path: note, diagnostics: (await checks.check(note, read.text)).diagnostics });
    }
    return reports;
  };
  let reports: FileReport[];
  try {
    reports = await checkAll(await load());
  } catch (error) {
    // The index file's blocks are checked as lookups first read them: one found damaged was removed, and the corpus is indexed afresh.
    if (!(error instanceof StoredIndexError)) throw error;
    reports = await checkAll(await load());
  }
  out(formatReports(format, reports, notes.length));
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** `verbatim mcp`: checks its options, then serves until the client goes away. */
async function runMcp(args: string[], out: (s: string) => void): Promise<number | 'serving'> {
  const { values } = parseArgs({ args, options: MCP_OPTIONS, strict: true });
  if (values.help) {
    out(`${usage(MCP_USAGE)}\n`);
    return 0;
  }
  const corpusDir = values.corpus;
  if (isPostgresUrl(corpusDir)) throw new UsageError('verbatim mcp reads a corpus folder; a postgres:// archive is read by verbatim check');
  if (!existsSync(corpusDir)) throw new UsageError(`Corpus folder not found: ${corpusDir}`);
  if (!statSync(corpusDir).isDirectory()) throw new UsageError(`--corpus must be a folder: ${corpusDir} is a file`);
  await runMcpServer(corpusDir, VERSION);
  return 'serving';
}

/** The corpus for these notes from a PostgreSQL archive (see PostgresArchive.corpusFor). */
async function archiveCorpus(url: string, notes: readonly string[]): Promise<Corpus> {
  const archive = await PostgresArchive.open(url);
  try {
    return await archive.corpusFor(notes);
  } catch (error) {
    // The server went away or refused a query mid-way: still the archive's state, said as plainly.
    throw new ArchiveUnavailable(`Cannot read the archive at ${displayUrl(url)}: ${reason(error)}`);
  } finally {
    await archive.close();
  }
}

/** parseArgs explains an unknown option at length; say it plainly. */
function usageMessage(error: Error, options: object): string {
  const option = /^Unknown option '([^']+)'/u.exec(error.message);
  if (option) {
    const known = Object.keys(options).map((name) => `--${name}`);
    const closest = known.map((name) => ({ name, d: distance(option[1], name) })).sort((a, b) => a.d - b.d)[0];
    return `Unknown option ${option[1]}${closest.d <= 2 ? `; did you mean ${closest.name}?` : ''}`;
  }
  const missing = /^Option '(--[\w-]+)[^']*' argument missing/u.exec(error.message);
  if (missing) return `${missing[1]} needs a value`;
  return error.message.split('. ')[0];
}

/** Runs a command; returns its exit status, or 'serving' while the language server runs. */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number | 'serving'> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, out);
      case 'report':
        return await runReport(rest, out, err, usage(REPORT_USAGE));
      case 'index':
        return await runIndex(rest, out, usage(INDEX_USAGE));
      case 'mcp':
        return await runMcp(rest, out);
      case 'reuse':
        return await runReuse(rest, out, err, usage(REUSE_USAGE));
      case 'lsp':
        if (rest.includes('--help') || rest.includes('-h')) {
          out(`${usage(LSP_USAGE)}\n`);
          return 0;
        }
        if (!rest.includes('--stdio') && !rest.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'))) {
          throw new UsageError('lsp needs a transport: --stdio');
        }
        await serveLanguage();
        return 'serving';
      case '--version':
      case '-v':
        out(`${VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        out(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
    }
  } catch (error) {
    if (error instanceof ArchiveUnavailable) {
      // Configuration, not usage: the message says what is wrong, and the help would only bury it.
      err(`verbatim: ${error.message}\n`);
      return 2;
    }
    if (
      error instanceof UsageError ||
      error instanceof IndexUsageError ||
      error instanceof ReuseUsageError ||
      error instanceof ReportUsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      // A mistake in a command points at its help; anything else shows what the commands are.
      const options = command === undefined ? undefined : COMMAND_OPTIONS.get(command);
      err(`verbatim: ${usageMessage(error, options ?? CHECK_OPTIONS)}\n${options ? `Run "verbatim ${command} --help" for its options.` : USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * `verbatim lsp`: the bundle editors start (`language-server.js`, beside the CLI's), with V8's code cache, as
 * `dist/server.js` runs it; it reads its transport from the same arguments. Run from the sources (no bundle
 * beside), the server runs in this process.
 */
async function serveLanguage(): Promise<void> {
  const bundle = join(__dirname, 'language-server.js');
  if (existsSync(bundle)) launchLanguageServer(bundle);
  else (await import('../lsp/main.js')).runLanguageServer();
}
