// Bundles the CLI, the language server and the VS Code client with esbuild.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import { build } from 'esbuild';
import { nodeBundle } from './bundle-options.mjs';

// `--production` (for the .vsix) minifies and drops source maps.
const common = nodeBundle(process.argv.includes('--production'));

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['server/src/lsp/index.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // `--bench` (npm run bench): the benchmark and its index-building child processes, into out/ (git-ignored).
  ...(process.argv.includes('--bench') ? [build({ ...common, entryPoints: ['bench/run.ts', 'bench/index-build.ts', 'bench/index-disk.ts', 'bench/reuse.ts'], outdir: 'out' })] : []),
]);
