// What both editor launchers need before VS Code starts: the extension and the
// in-host suite built, and a fresh test workspace on disk.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled in-host suite: its `run()` is what VS Code's `extensionTestsPath` points at. */
export const suiteEntry = join(root, 'out', 'test', 'vscode', 'index.js');

/** Builds the extension into dist/ (as `npm run build` does) and the in-host suite into out/ (git-ignored, not packaged). */
export async function buildExtensionAndSuite(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const suiteDir = join(root, 'test', 'vscode', 'suite');
  const tests = readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(suiteDir, name));
  await build({
    entryPoints: [join(suiteDir, 'index.ts'), ...tests],
    outdir: join(root, 'out', 'test', 'vscode'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // vscode is the host's own module; mocha must be one instance shared by the runner and the test files.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/**
 * A fresh workspace folder in the temp directory: the bundled corpus, the
 * example note, the suite's own notes and second corpus
 * (test/vscode/workspace), and a corpus holding a PDF. The tests edit it, so every run gets a new one.
 */
export function makeWorkspace(label: string): string {
  // A plain folder name, since the workbench shows it (and the screenshots do).
  const folder = join(mkdtempSync(join(tmpdir(), `verbatim-${label}-`)), 'reading-notes');
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  cpSync(join(root, 'examples'), join(folder, 'examples'), { recursive: true });
  cpSync(join(root, 'test', 'vscode', 'workspace'), folder, { recursive: true });
  // A corpus of documents: zochowski2021 printed as a journal article (pages labelled 17–20).
  mkdirSync(join(folder, 'documents-corpus'));
  cpSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf'), join(folder, 'documents-corpus', 'zochowski2021.pdf'));
  return folder;
}
