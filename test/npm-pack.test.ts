import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './paths.js';

// `npm pack` makes the command-line package; installed globally into an empty prefix, with the network shut out
// (`--offline`: the package must need nothing from a registry), `verbatim check` runs from there on the examples
// and says what the clone's own command says.

interface PackResult {
  filename: string;
  files: { path: string }[];
}

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-pack-cache-'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
let packed: PackResult;
let work: string;

before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  work = mkdtempSync(join(tmpdir(), 'verbatim-pack-'));
  // The bundle was just built; `prepare` would build it again in place.
  [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], root)) as PackResult[];
});

test('npm pack ships the command line alone: the bundle, its launcher, the package file and the docs', () => {
  assert.equal(packed.filename, `verbatim-${version}.tgz`);
  assert.deepEqual(packed.files.map((f) => f.path).sort(), ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/verbatim.js', 'dist/cli.js', 'dist/extract-docx.js', 'dist/extract-html.js', 'dist/extract-pdf.js', 'dist/segment-worker.js', 'package.json']);
});

test('installed with npm install -g from the tarball, offline, verbatim check runs on the examples as in the clone', () => {
  const prefix = join(work, 'global');
  npm(['install', '--global', '--offline', '--prefix', prefix, join(work, packed.filename)], work);
  // Nothing came with it: the bundle holds every library it uses.
  assert.deepEqual(readdirSync(join(prefix, 'lib', 'node_modules')), ['verbatim']);
  assert.equal(readdirSync(join(prefix, 'lib', 'node_modules', 'verbatim')).includes('node_modules'), false);

  const notes = mkdtempSync(join(tmpdir(), 'verbatim-pack-notes-'));
  cpSync(join(root, 'corpus'), join(notes, 'corpus'), { recursive: true });
  cpSync(join(root, 'examples'), join(notes, 'examples'), { recursive: true });
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  const installed = spawnSync(join(prefix, 'bin', 'verbatim'), ['check', 'examples'], { cwd: notes, encoding: 'utf8', env });
  const clone = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', 'examples'], { cwd: notes, encoding: 'utf8', env });
  assert.equal(installed.status, 1, installed.stderr);
  assert.match(installed.stdout, /^examples\/russia-and-the-taliban\.md:53:29 warning quote-mismatch Quotation differs from korybko2021 ¶ 6: source has "kilometers", not "kilometres"$/mu);
  assert.match(installed.stdout, /\n1 note checked: 5 errors, 6 warnings, 0 information\n$/u);
  assert.equal(installed.stdout, clone.stdout);

  assert.equal(spawnSync(join(prefix, 'bin', 'verbatim'), ['--version'], { encoding: 'utf8' }).stdout, `${version}\n`);
  assert.match(spawnSync(join(prefix, 'bin', 'verbatim'), ['mcp', '--help'], { encoding: 'utf8' }).stdout, /verbatim mcp \[--corpus DIR\]/u);

  // The document readers are files of their own beside the bundle, loaded when a document needs one: they are packed too.
  const documents = mkdtempSync(join(tmpdir(), 'verbatim-pack-documents-'));
  mkdirSync(join(documents, 'corpus'));
  for (const [fixture, name] of [['zochowski2021-journal.pdf', 'zochowski2021.pdf'], ['korybko2021.docx', 'korybko2021.docx'], ['gul2021.html', 'gul2021.html']]) {
    copyFileSync(join(root, 'test', 'fixtures', 'sources', fixture), join(documents, 'corpus', name));
  }
  writeFileSync(
    join(documents, 'note.md'),
    [
      'Korybko: "We will get around Kabul like an anaconda" [@korybko2021].',
      '',
      'Żochowski: "Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban" [@zochowski2021].',
      '',
      'Gul: "Taliban militia has gone into celebration frenzy after the US forces evacuated the Bagram airbase" [@gul2021].',
      '',
    ].join('\n'),
  );
  const fromDocuments = spawnSync(join(prefix, 'bin', 'verbatim'), ['check', 'note.md', '--format', 'json'], { cwd: documents, encoding: 'utf8', env });
  assert.equal(fromDocuments.status, 0, fromDocuments.stdout + fromDocuments.stderr);
  assert.equal(fromDocuments.stdout, spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', 'note.md', '--format', 'json'], { cwd: documents, encoding: 'utf8', env }).stdout);
});
