import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';
import { userCacheFolder } from '../engine/corpus/extract/cache.js';

/**
 * Runs the language server's bundle (`language-server.js`, beside this file) with V8's code cache: compiling the
 * 3.5 MB bundle, and the functions a session then compiles lazily, is a large part of the server's start. The
 * cache is written once, when a process that found none (or one V8 rejected) ends, into the per-user cache
 * folder, under a name made of the bundle's size and time, V8's version and the architecture: an updated
 * extension, or the same one run by another Node or Electron, gets a cache of its own. V8 rejects a cache made
 * by another version or with other flags, but does not check its bytes (a damaged one crashes the process as
 * it is read): the file starts with the SHA-256 of the rest, and one whose digest differs is not used.
 */
export function launchLanguageServer(bundle: string, cacheFolder = join(userCacheFolder(), 'code')): void {
  const source = readFileSync(bundle, 'utf8');
  const { size, mtimeMs } = statSync(bundle);
  const cachePath = join(cacheFolder, `language-server-${size}-${Math.round(mtimeMs)}-${process.versions.v8}-${process.arch}.bin`);
  const cachedData = readCache(cachePath);
  const script = new Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    // The bundle imports its document readers (`import('./extract-pdf.js')`) as Node's own loader would; Node before 20.12 has no constant for it.
    importModuleDynamically: (constants as typeof constants | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier: string) => import(specifier)),
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At the end of a session the cache holds the functions it compiled: the next start's first check needs them too.
    process.once('exit', () => writeCache(cachePath, () => script.createCachedData()));
  }
  const server = new Module(bundle, module);
  server.filename = bundle;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(server.exports, server.exports, createRequire(bundle), server, bundle, dirname(bundle));
}

const DIGEST_BYTES = 32;
const digestOf = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** The cache's data, when the file is there and whole. */
function readCache(path: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  const data = file.subarray(DIGEST_BYTES);
  return file.length > DIGEST_BYTES && digestOf(data).equals(file.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

function writeCache(path: string, cachedData: () => Buffer): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    // Written aside and renamed: a server starting meanwhile never reads half a cache.
    const temporary = `${path}.${process.pid}.tmp`;
    const data = cachedData();
    writeFileSync(temporary, Buffer.concat([digestOf(data), data]));
    renameSync(temporary, path);
  } catch {
    // A cache that cannot be written only costs the next start its compile time.
  }
}
