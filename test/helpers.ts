import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from 'node:test';
import type { BuildOptions } from 'esbuild';
import { ClaimTagger } from '../server/src/engine/claims/detect.js';
import { checkNote, NoteChecker, type ProcessorOptions } from '../server/src/engine/check.js';
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import type { Corpus } from '../server/src/engine/corpus/corpus.js';
import type { Diagnostic } from '../server/src/engine/diagnostics.js';
import type { Range } from '../server/src/engine/text/lines.js';

import { root } from './paths.js';

export { root };

// The claim tagger loads asynchronously; tests check notes synchronously, so it is loaded first, once per test file.
let tagger: ClaimTagger | undefined;
before(async () => {
  tagger = await ClaimTagger.load();
});

/** The tagger loaded for this test file. */
export function claimTagger(): ClaimTagger {
  if (!tagger) throw new Error('the claim tagger is loaded in a before() hook: call this inside a test');
  return tagger;
}

/** A checker that reads claims too (`checkNote` without one reads quotations only). */
export function claimChecker(corpus: Corpus = bundledCorpus(), claims: Omit<NonNullable<ProcessorOptions['claims']>, 'tagger'> = {}): NoteChecker {
  return new NoteChecker(corpus, { claims: { ...claims, tagger: claimTagger() } });
}
export const corpusDir = join(root, 'corpus');
export const fixturesDir = join(root, 'test', 'fixtures');
/**
 * Material kept beside the project in CI (`../shared`): the seeds and the
 * acceptance notes. A clone on its own has no such folder, so tests that read
 * it are skipped there, with this reason.
 */
export const sharedDir = join(root, '..', 'shared');
export const sharedSkip = existsSync(sharedDir) ? false : `${sharedDir} is not beside the project (only CI's checkout has it)`;

let bundled: Corpus | undefined;
/** The bundled corpus, loaded once per test file. */
export function bundledCorpus(): Corpus {
  bundled ??= loadTextCorpus(corpusDir);
  return bundled;
}

export function check(note: string, corpus: Corpus = bundledCorpus()): Diagnostic[] {
  return checkNote(corpus, note, { checker: claimChecker(corpus) }).diagnostics;
}

/** The diagnostics whose range covers the first occurrence of `anchor` in `note`. */
export function at(note: string, anchor: string, diagnostics: Diagnostic[]): Diagnostic[] {
  const offset = note.indexOf(anchor);
  if (offset < 0) throw new Error(`anchor not in note: ${anchor}`);
  const lines = note.slice(0, offset).split(/\r\n|\n|\r/);
  const line = lines.length - 1;
  const character = lines[lines.length - 1].length;
  return diagnostics.filter(
    (d) =>
      (d.range.start.line < line || (d.range.start.line === line && d.range.start.character <= character)) &&
      (d.range.end.line > line || (d.range.end.line === line && d.range.end.character > character)),
  );
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** The note with one edit applied at an LSP range (lines end at `\r\n`, `\n` or a lone `\r`, as in LSP). */
export function applyEdit(text: string, range: Range, newText: string): string {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\n|\r/gu)) starts.push((m.index ?? 0) + m[0].length);
  const offset = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

/** What a run of the built command line printed, and its exit status. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line (bin/verbatim.js) with extracted texts and indexes cached in a folder of its own, not the user's. */
export function cliRunner(name: string): (args: string[], cwd?: string) => CliRun {
  const cacheHome = mkdtempSync(join(tmpdir(), `verbatim-${name}-cache-`));
  return (args, cwd = root) => {
    const result = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
}

/**
 * Bundles `entrySource` (a TypeScript entry, written into a new folder outside the project) with the project's own
 * esbuild options, as the shipped bundles are built: the folder and the bundle's path in it.
 */
export async function bundledAsShipped(entrySource: string, production = false): Promise<{ dir: string; bundle: string }> {
  const { nodeBundle } = (await import(join(root, 'scripts', 'bundle-options.mjs'))) as { nodeBundle: (production?: boolean) => BuildOptions };
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-bundle-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, entrySource);
  const bundle = join(dir, 'bundle.js');
  await build({ ...nodeBundle(production), sourcemap: false, entryPoints: [entry], outfile: bundle });
  return { dir, bundle };
}
