import { relative } from 'node:path';
import { verificationReport } from '../engine/report/html.js';
import type { ServerContext } from './context.js';
import { uriToPath } from './workspace.js';

/** The verification report of an open note, checked at its current version; null when there is nothing to report on. */
export async function provideReport(context: ServerContext, uri: string): Promise<string | null> {
  const document = context.documents.get(uri);
  const path = uriToPath(uri);
  if (!document || !path) return null;
  const snapshot = await context.check(document);
  if (!snapshot) return null;
  const folder = context.workspace.folderOf(path);
  return verificationReport([{ path: folder ? relative(folder, path) : path, result: snapshot.result }]);
}
