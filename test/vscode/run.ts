// `npm run test:vscode`: the extension-host suite (test/vscode/suite) in a
// VS Code desktop build, with @vscode/test-electron, the ecosystem's standard
// launcher. It downloads VS Code into .cache/vscode-test/ unless
// VSCODE_EXECUTABLE names an installed one. Where VS Code cannot be
// downloaded it says so and exits 1; `npm run test:e2e` runs the same suite
// offline in code-server. On a Linux machine without a display, run it under
// `xvfb-run -a`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildExtensionAndSuite, makeWorkspace, root, suiteEntry } from './prepare.js';

/** How long the download may go without receiving data, and how long it may take in all. */
const STALL_MS = 30_000;
const DOWNLOAD_MS = 10 * 60_000;

function fail(message: string): never {
  console.error(`\ntest:vscode: ${message}`);
  process.exit(1);
}

async function vscodeExecutable(): Promise<string> {
  const installed = process.env.VSCODE_EXECUTABLE;
  if (installed) return installed;
  const version = process.env.VSCODE_VERSION ?? 'stable';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({ version, cachePath: join(root, '.cache', 'vscode-test'), timeout: STALL_MS }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no download after ${DOWNLOAD_MS / 60_000} minutes`)), DOWNLOAD_MS))),
    ]);
  } catch (error) {
    fail(
      [
        `could not download VS Code (${version}): ${error instanceof Error ? error.message : String(error)}.`,
        'This launcher needs a VS Code desktop build: run it where VS Code can be downloaded,',
        'or set VSCODE_EXECUTABLE to an installed VS Code (e.g. /usr/share/code/code).',
        'Without network access, `npm run test:e2e` runs the same suite in code-server.',
      ].join('\n'),
    );
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  await buildExtensionAndSuite();
  const vscodeExecutablePath = await vscodeExecutable();
  const workspace = makeWorkspace('electron');
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: suiteEntry,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${mkdtempSync(join(tmpdir(), 'verbatim-vscode-user-'))}`,
      ],
    });
  } catch (error) {
    fail(`the extension-host suite failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

void main();
