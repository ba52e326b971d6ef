import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadCorpus } from '../server/src/engine/corpus/load.js';
import { migrate, READER_ROLE } from '../server/src/engine/corpus/postgres/schema.js';
import { storeCorpus } from '../server/src/engine/corpus/postgres/store.js';
import { corpusDir } from './helpers.js';

/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder,
 * a server on a Unix socket in that folder, no TCP. PostgreSQL refuses to run
 * as root, so as root the server runs as the `postgres` user (runuser).
 */
export interface Cluster {
  /** The socket folder: the `host` of a connection. */
  readonly host: string;
  url(database: string, user?: string): string;
  /** Runs SQL with psql as the superuser; returns its output. */
  psql(database: string, sql: string): string;
  stop(): void;
}

function initdbPath(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(base, v, 'bin', 'initdb')).find((p) => existsSync(p));
}

const asRoot = (): boolean => process.getuid?.() === 0;

/**
 * Why no cluster can be started here, or false when one can. In CI
 * (VERBATIM_REQUIRE_POSTGRES=1, set by .ci/run) a missing server is a failure, not a skip.
 */
export function postgresSkip(): string | false {
  const reason = !initdbPath() ? 'no /usr/lib/postgresql/*/bin/initdb on this machine' : asRoot() && spawnSync('id', ['-u', 'postgres']).status !== 0 ? 'running as root and there is no postgres user to run the server as' : undefined;
  if (!reason) return false;
  if (process.env.VERBATIM_REQUIRE_POSTGRES === '1') throw new Error(`VERBATIM_REQUIRE_POSTGRES=1, but ${reason}`);
  return `${reason}: the PostgreSQL tests are skipped (install Debian's postgresql to run them)`;
}

/** Starts a cluster (call only when postgresSkip() is false), with server settings beyond the defaults if given. */
export function startCluster(settings: Readonly<Record<string, string>> = {}): Cluster {
  const initdb = initdbPath();
  if (!initdb) throw new Error('no initdb');
  const bin = join(initdb, '..');
  const root = asRoot();
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-pg-'));
  // The server's user must be able to write the folder.
  chmodSync(dir, 0o777);
  const as = (command: string, args: string[]): string => {
    const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const data = join(dir, 'data');
  as(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale', 'C']);
  const options = [`-k ${dir} -c listen_addresses=''`, ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`)].join(' ');
  as(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const psqlBin = join(bin, 'psql');
  return {
    host: dir,
    url: (database, user = 'postgres') => `postgres://${user}@/${database}?host=${dir}`,
    psql: (database, sql) => execFileSync(psqlBin, ['-h', dir, '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' }),
    stop: () => {
      try {
        as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A database `name` in the cluster holding the bundled corpus as an archive, and a role `role` that can only
 * read it (as README advises for the editor): the URL to connect with as that role.
 */
export async function bundledArchive(cluster: Cluster, name: string, role: string): Promise<string> {
  cluster.psql('postgres', `create database ${name}`);
  const client = new pg.Client({ connectionString: cluster.url(name) });
  await client.connect();
  try {
    await migrate(client);
    await storeCorpus(client, await loadCorpus(corpusDir));
  } finally {
    await client.end();
  }
  cluster.psql(name, `create role ${role} login in role ${READER_ROLE}`);
  return cluster.url(name, role);
}
