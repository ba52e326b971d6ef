// Builds the benchmark corpus from real prose already on the machine: the bundled seeds, every markdown
// document under node_modules/, then Debian's /usr/share/doc (READMEs, changelogs, copyright notices,
// decompressed), deduplicated by content and written as plain-text sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

export interface ProseDocument {
  origin: string;
  text: string;
}

const SKIP_EXTENSIONS = /\.(html?|png|jpe?g|gif|svg|pdf|js|css|bz2|xz|zst|json|ya?ml|ts|map|woff2?|ttf|ico)$/iu;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function decode(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Markdown reduced to prose lines: fenced code, HTML tags and link destinations dropped. */
function markdownProse(text: string): string {
  return text
    .replace(/^(```|~~~)[\s\S]*?^\1.*$/gmu, '')
    .replace(/<[^>\n]+>/gu, '')
    .replace(/\]\([^)\s]*\)/gu, ']')
    .replace(/\n{3,}/gu, '\n\n');
}

export function* realProse(root: string): Generator<ProseDocument> {
  const seen = new Set<string>();
  const fresh = (text: string): boolean => {
    const hash = createHash('sha1').update(text).digest('hex');
    if (seen.has(hash)) return false;
    seen.add(hash);
    return true;
  };
  for (const path of walk(join(root, 'corpus'))) {
    if (!path.endsWith('.txt')) continue;
    const text = readFileSync(path, 'utf8');
    if (fresh(text)) yield { origin: path, text };
  }
  for (const path of walk(join(root, 'node_modules'))) {
    if (!/\.(md|markdown)$/iu.test(path)) continue;
    const text = decode(readFileSync(path));
    if (text && fresh(text)) yield { origin: path, text: markdownProse(text) };
  }
  for (const path of walk('/usr/share/doc')) {
    if (SKIP_EXTENSIONS.test(path.replace(/\.gz$/u, ''))) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
      if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
    } catch {
      continue;
    }
    const text = decode(bytes);
    if (text && text.trim().length > 200 && fresh(text)) yield { origin: path, text };
  }
}

export interface BenchCorpus {
  dir: string;
  bytes: number;
  files: number;
  /** Where the prose came from: origin folder → bytes. */
  origins: Record<string, number>;
}

/**
 * The folder of a corpus of `targetBytes` under `cacheDir`: what its manifest says when it was built before,
 * or else the folder, emptied, for a build to write.
 */
export function corpusFolder(cacheDir: string, targetBytes: number): { dir: string; manifestPath: string; built?: BenchCorpus } {
  const dir = join(cacheDir, `corpus-${Math.round(targetBytes / 1e6)}mb`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) return { dir, manifestPath, built: { ...(JSON.parse(readFileSync(manifestPath, 'utf8')) as BenchCorpus), dir: resolve(dir) } };
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  return { dir, manifestPath };
}

/** Writes the first `targetBytes` of real prose as `doc00001.txt`…, reusing a previous build of the same size. */
export function buildBenchCorpus(root: string, targetBytes: number, cacheDir: string): BenchCorpus {
  const { dir, manifestPath, built } = corpusFolder(cacheDir, targetBytes);
  if (built) return built;
  let bytes = 0;
  let files = 0;
  const origins: Record<string, number> = {};
  for (const doc of realProse(root)) {
    if (bytes >= targetBytes) break;
    const size = Buffer.byteLength(doc.text);
    files++;
    writeFileSync(join(dir, `doc${String(files).padStart(5, '0')}.txt`), doc.text);
    bytes += size;
    const origin = doc.origin.startsWith('/usr/share/doc') ? '/usr/share/doc' : doc.origin.includes('node_modules') ? 'node_modules' : 'corpus';
    origins[origin] = (origins[origin] ?? 0) + size;
  }
  const corpus: BenchCorpus = { dir: resolve(dir), bytes, files, origins };
  writeFileSync(manifestPath, JSON.stringify(corpus, null, 2));
  return corpus;
}
