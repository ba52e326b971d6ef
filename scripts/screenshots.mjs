// Takes the README's screenshots that need no editor, with Debian's headless Chromium, into docs/images/:
//
//   report.png   `verbatim report` on examples/ against the bundled corpus: the figures at the top, then the
//                quotations not found and from the wrong source, each with the note's words beside the source's.
//
// The report is written by the built CLI (this script builds it first), then opened from a file with
// nothing reaching the network, as test/report.test.ts opens it. Run: npm run screenshots. The PNGs are
// committed; CI does not run this. (The editor's screenshots come from the UI tests: npm run test:e2e.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = '/usr/bin/chromium';
const images = join(root, 'docs', 'images');

/** Headless Chromium's screenshot of a local page, at one CSS pixel per pixel, with a profile of its own. */
function screenshot(page, output, width, height) {
  const profile = mkdtempSync(join(tmpdir(), 'verbatim-screenshot-chromium-'));
  try {
    execFileSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--screenshot=${output}`,
        `file://${page}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

if (!existsSync(chromium)) {
  console.error(`${chromium} is not installed (apt-get install chromium)`);
  process.exit(1);
}
mkdirSync(images, { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'verbatim-screenshots-'));
try {
  const page = join(work, 'report.html');
  // Relative paths, from the repository: the page names `examples/…` and the corpus `corpus`, as a reader would type them.
  execFileSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'report', '--corpus', 'corpus', '-o', page, 'examples'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache') },
  });
  const output = join(images, 'report.png');
  screenshot(page, output, 1000, 1640);
  console.log(`${relative(root, output)}: ${Math.round(statSync(output).size / 1000)} KB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
