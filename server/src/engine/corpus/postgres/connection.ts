import type pg from 'pg';

/** Whether a corpus setting names a PostgreSQL archive rather than a folder. */
export function isPostgresUrl(corpus: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(corpus);
}

/** The URL with its password blanked: what messages and logs may show. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** The archive cannot be reached, or is not one Verbatim can read: a configuration problem, said plainly. */
export class ArchiveUnavailable extends Error {}

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Connects to the archive. Whatever goes wrong (no server, a wrong password, a
 * malformed URL) becomes an `ArchiveUnavailable` naming the URL without its
 * password; the connection's later errors are the caller's to handle.
 */
export async function connectArchive(url: string): Promise<pg.Client> {
  // Loaded when an archive is first used: a process reading a folder never sets up the client (about 30 ms).
  const { Client } = (await import('pg')).default;
  let client: pg.Client;
  try {
    client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'verbatim' });
  } catch (error) {
    throw new ArchiveUnavailable(`Cannot read the archive URL ${displayUrl(url)}: ${reason(error)}`);
  }
  // An idle connection that the server drops emits 'error'; without a listener Node would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ArchiveUnavailable(`Cannot connect to the archive at ${displayUrl(url)}: ${reason(error)}`);
  }
  return client;
}

export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) return error.message || ('code' in error ? String(error.code) : error.name);
  return String(error);
}
