import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir, fixturesDir } from './helpers.js';

/** The sources of text reuse (test/fixtures/reuse/): a spun copy, an article quoting a seed, a wire story. */
export const reuseFixtures = join(fixturesDir, 'reuse');

/** The bundled corpus plus the reuse fixtures (their bibliography beside the bundled one), in a folder of its own. */
export function fixtureCorpus(bibliography = readFileSync(join(reuseFixtures, 'references.json'), 'utf8')): string {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-reuse-'));
  for (const name of readdirSync(corpusDir)) copyFileSync(join(corpusDir, name), join(dir, name));
  for (const name of readdirSync(reuseFixtures).filter((n) => n.endsWith('.txt'))) copyFileSync(join(reuseFixtures, name), join(dir, name));
  writeFileSync(join(dir, 'fixtures.json'), bibliography);
  return dir;
}
