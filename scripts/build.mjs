// Bundles the CLI, the language server and the VS Code client with esbuild.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import { build } from 'esbuild';
import { extractorBundles, nodeBundle } from './bundle-options.mjs';

// `--production` (for the .vsix) minifies and drops source maps.
const common = nodeBundle(process.argv.includes('--production'));

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js' }),
  // Editors start dist/server.js, which runs the server's bundle, language-server.js, with V8's code cache.
  build({ ...common, entryPoints: ['server/src/lsp/index.ts'], outfile: 'dist/language-server.js' }),
  build({ ...common, entryPoints: ['server/src/lsp/start.ts'], outfile: 'dist/server.js' }),
  // The worker threads of a first index build, found beside the bundle that starts them.
  build({ ...common, entryPoints: ['server/src/engine/corpus/segment-worker.ts'], outfile: 'dist/segment-worker.js' }),
  // The document readers, loaded by the CLI and the server when a document first needs one.
  ...Object.entries(extractorBundles).map(([name, entry]) => build({ ...common, entryPoints: [entry], outfile: `dist/${name}.js` })),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // `--bench` (npm run bench): the benchmark and its index-building child processes, into out/ (git-ignored).
  ...(process.argv.includes('--bench')
    ? [
        build({ ...common, entryPoints: ['bench/run.ts', 'bench/index-build.ts', 'bench/index-disk.ts', 'bench/reuse.ts', 'bench/build-phases.ts', 'bench/verdicts.ts', 'bench/lookup-passes.ts'], outdir: 'out' }),
        build({ ...common, entryPoints: ['server/src/engine/corpus/segment-worker.ts'], outfile: 'out/segment-worker.js' }),
        ...Object.entries(extractorBundles).map(([name, entry]) => build({ ...common, entryPoints: [entry], outfile: `out/${name}.js` })),
      ]
    : []),
]);
