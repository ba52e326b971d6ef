import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CancellationToken, Location, ReferenceParams } from 'vscode-languageserver';
import { readNote } from '../engine/check.js';
import { readTextFile } from '../engine/corpus/load.js';
import { LineIndex } from '../engine/text/lines.js';
import { citationAt } from '../engine/services/locate.js';
import type { ServerContext } from './context.js';
import { isInside, pathToUri, type FolderState } from './workspace.js';

const SKIPPED = new Set(['node_modules', '.git']);

/** Every note of the folder, on disk (the corpus folder left out). */
export function* notePaths(context: ServerContext, state: FolderState, dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!state.corpusDir || !isInside(path, state.corpusDir)) yield* notePaths(context, state, path);
    } else if (context.workspace.isNote(path, state)) {
      yield path;
    }
  }
}

/** Every citation of the key under the cursor, across the workspace folder's notes (open ones as edited). */
export function provideReferences(context: ServerContext, params: ReferenceParams, token: CancellationToken): Location[] | null {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return null;
  const snapshot = context.snapshot(document);
  const analysis = snapshot?.result.analysis;
  if (!snapshot || !analysis) return null;
  const under = citationAt(analysis, snapshot.result.lines.offset(params.position));
  if (!under) return null;
  const key = under.item.key;
  const locations: Location[] = [];
  for (const path of notePaths(context, snapshot.state, snapshot.state.folder)) {
    if (token.isCancellationRequested) return null;
    const uri = pathToUri(path);
    const open = context.documents.get(uri);
    const read = open ? { text: open.getText() } : readTextFile(path);
    if (!('text' in read)) continue;
    const lines = new LineIndex(read.text);
    for (const citation of readNote(read.text).citations) {
      for (const item of citation.items) {
        if (item.key === key) locations.push({ uri, range: lines.range(item.keySpan.start, item.keySpan.end) });
      }
    }
  }
  return locations;
}
