// code-server (VS Code's own workbench and extension host, served to a browser)
// as test tooling: installed from npm into a git-ignored cache on first use,
// reused after that, and started on a free loopback port for one test run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from '../vscode/prepare.js';

/**
 * The newest code-server that runs on Node 20 (later ones need Node 22); it
 * carries VS Code 1.100, so `engines.vscode` must stay at or below ^1.100.0.
 */
export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep that code-server 4.100.3 depends on, and the asset its postinstall would download. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export const cacheDir = join(root, '.cache', 'code-server');
const entry = join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const marker = join(cacheDir, 'installed');

function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs code-server into .cache/code-server/ unless that exact version is
 * already there. Its @vscode/ripgrep postinstall would download ripgrep from
 * GitHub; it first looks for the release tarball in its cache folder under
 * TMPDIR, so a tarball holding Debian's `rg` is put there. Root needs
 * npm_config_unsafe_perm for the install scripts, and node-pty's postinstall
 * runs npx, which needs npm_config_yes.
 */
export function ensureCodeServer(): string {
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(entry)) return entry;
  if (platform() !== 'linux' || arch() !== 'x64') throw new Error(`the code-server launcher is set up for linux x64 only (this is ${platform()} ${arch()}); use npm run test:vscode`);
  const rg = which('rg');
  if (!rg) throw new Error('code-server needs ripgrep on the PATH to install offline: apt-get install ripgrep');
  if (!which('krb5-config')) throw new Error('code-server builds a Kerberos addon and needs its headers: apt-get install libkrb5-dev');
  rmSync(cacheDir, { recursive: true, force: true });
  const temp = join(cacheDir, 'tmp');
  const ripgrepCache = join(temp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(ripgrepCache, { recursive: true });
  execFileSync('tar', ['-czf', join(ripgrepCache, RIPGREP_ASSET), '-C', dirname(rg), 'rg']);
  writeFileSync(join(cacheDir, 'package.json'), `${JSON.stringify({ private: true, description: 'code-server for the editor tests' }, null, 2)}\n`);
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (first use only; about a minute)…`);
  const started = Date.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    stdio: 'inherit',
    timeout: 15 * 60_000,
    env: { ...process.env, TMPDIR: temp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!existsSync(entry)) throw new Error(`code-server installed, but ${entry} is missing`);
  rmSync(temp, { recursive: true, force: true });
  writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
  console.log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return entry;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  /** Everything code-server printed, for a failure message. */
  readonly log: () => string;
  stop(): Promise<void>;
}

/** Starts code-server with fresh user data, no auth, no telemetry, and waits for /healthz. */
export async function startCodeServer(entryPath: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunningCodeServer> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'verbatim-code-server-'));
  const userData = join(home, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    `${JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false }, null, 2)}\n`,
  );
  const args = [
    entryPath,
    '--config', join(home, 'config.yaml'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', join(home, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  // Its own process group, so that stopping it also stops the extension hosts and language servers it started.
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise<void>((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // Whatever the group still runs (an extension host, a language server) goes with it.
      killGroup(child, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
}
