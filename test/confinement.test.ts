import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './helpers.js';

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

/**
 * The server and the engine never run code from a workspace, reach the
 * network (but through the PostgreSQL client, below, to an archive the user
 * names) or start processes: no eval, no Function constructor, no
 * child_process, net, http(s), dgram, cluster or vm modules in their source.
 * Worker threads are allowed in one place only (below).
 */
test('the engine and the language server use no eval, network or process APIs', () => {
  const forbidden = [
    /\beval\s*\(/u,
    /\bnew\s+Function\s*\(/u,
    /from\s+'node:(?:child_process|net|http|https|http2|dgram|tls|vm|cluster)'/u,
    /from\s+'(?:child_process|net|http|https|http2|dgram|tls|vm|cluster)'/u,
    /require\(\s*'(?:node:)?(?:child_process|net|http|https|vm)'\s*\)/u,
    /\bfetch\s*\(/u,
  ];
  const offences: string[] = [];
  for (const path of sources(join(root, 'server', 'src'))) {
    const text = readFileSync(path, 'utf8');
    // The server's launcher compiles the project's own bundle with vm (below); nothing else of it is allowed there either.
    const allowed = relative(root, path) === LAUNCHER ? text.replace(/^import \{ constants, Script \} from 'node:vm';$/mu, '') : text;
    for (const pattern of forbidden) if (pattern.test(allowed)) offences.push(`${relative(root, path)}: ${pattern.source}`);
  }
  assert.deepEqual(offences, []);
});

const LAUNCHER = join('server', 'src', 'lsp', 'launch.ts');

/**
 * The one use of `vm`: the launcher editors start compiles the server's bundle, the file beside it, with V8's
 * code cache. It runs that file's text and nothing else: no code given as a string, no path from a client.
 */
test('only the server’s launcher uses vm, to compile the bundle beside it', () => {
  const users: string[] = [];
  for (const path of sources(join(root, 'server', 'src'))) {
    if (/'(?:node:)?vm'/u.test(readFileSync(path, 'utf8'))) users.push(relative(root, path));
  }
  assert.deepEqual(users, [LAUNCHER]);
  const launcher = readFileSync(join(root, LAUNCHER), 'utf8');
  assert.equal([...launcher.matchAll(/new Script\(/gu)].length, 1);
  assert.match(launcher, /new Script\(Module\.wrap\(source\), \{/u);
  assert.match(launcher, /const source = readFileSync\(bundle, 'utf8'\);/u);
  const start = readFileSync(join(root, 'server', 'src', 'lsp', 'start.ts'), 'utf8');
  assert.match(start, /launchLanguageServer\(join\(__dirname, 'language-server\.js'\)\);/u);
});

/**
 * A first index build runs on every core: its worker threads run the
 * project's own bundled script (never code from a workspace, never `eval`
 * code) and only read and index the corpus files and texts they are handed.
 * Nothing else starts threads.
 */
test('only the index build’s thread pool and its worker script use worker threads', () => {
  const users: string[] = [];
  for (const path of sources(join(root, 'server', 'src'))) {
    if (/from\s+'(?:node:)?worker_threads'|require\(\s*'(?:node:)?worker_threads'\s*\)/u.test(readFileSync(path, 'utf8'))) users.push(relative(root, path));
  }
  assert.deepEqual(users.sort(), ['server/src/engine/corpus/parallel.ts', 'server/src/engine/corpus/segment-worker.ts']);
  const pool = readFileSync(join(root, 'server', 'src', 'engine', 'corpus', 'parallel.ts'), 'utf8');
  assert.doesNotMatch(pool, /eval:\s*true/u, 'no worker runs code given as a string');
  const worker = readFileSync(join(root, 'server', 'src', 'engine', 'corpus', 'segment-worker.ts'), 'utf8');
  assert.deepEqual([...worker.matchAll(/from\s+'([^']+)'/gu)].map((m) => m[1]).sort(), ['./parallel.js', 'node:worker_threads']);
});

/** The one connection that leaves the machine, when asked to: the PostgreSQL client, to the archive the user names. */
test('only the PostgreSQL archive module uses the pg client', () => {
  const users: string[] = [];
  for (const path of sources(join(root, 'server', 'src'))) {
    if (/from 'pg'/u.test(readFileSync(path, 'utf8'))) users.push(relative(root, path));
  }
  assert.ok(users.length > 0);
  assert.deepEqual(
    users.filter((p) => !p.startsWith('server/src/engine/corpus/postgres/')),
    [],
  );
});

test('only the corpus loader, its extraction cache and index file, and the server’s reference search touch files', () => {
  const readers: string[] = [];
  for (const path of sources(join(root, 'server', 'src'))) {
    if (/from 'node:fs'/u.test(readFileSync(path, 'utf8'))) readers.push(relative(root, path));
  }
  assert.deepEqual(readers.sort(), [
    // The commands check that the corpus folder they are given exists.
    'server/src/cli/index-command.ts',
    'server/src/cli/main.ts',
    // The notes named on the command line, and the folders searched for them.
    'server/src/cli/notes.ts',
    // `verbatim report` writes its page where it is told to.
    'server/src/cli/report-command.ts',
    // Extracted texts of documents, cached in the editor's storage folder or the user's cache folder.
    'server/src/engine/corpus/extract/cache.ts',
    // The corpus index, kept between runs in the same cache folder (read by offset, appended to, or written whole).
    'server/src/engine/corpus/index-file.ts',
    'server/src/engine/corpus/load.ts',
    // The corpus manager checks that the corpus folder it is set to is a folder, to say so when it is not.
    'server/src/engine/corpus/manager.ts',
    // The index build's thread pool looks for its bundled worker script beside itself.
    'server/src/engine/corpus/parallel.ts',
    // The launcher reads the server's bundle beside it, and V8's code cache in the user's cache folder.
    'server/src/lsp/launch.ts',
    'server/src/lsp/references.ts',
    'server/src/lsp/workspace.ts',
  ]);
});
