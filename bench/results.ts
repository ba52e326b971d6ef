import { join } from 'node:path';

/**
 * Where `npm run bench` writes its JSON: a folder git ignores, so a run leaves
 * the work tree clean and the README's figures change only when someone edits
 * them.
 */
export function resultsDir(root: string): string {
  return join(root, 'bench', 'results');
}
