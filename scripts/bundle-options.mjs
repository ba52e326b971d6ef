// The esbuild options every Node bundle shares: scripts/build.mjs bundles the CLI, the server and the client
// with them, and test/engine/corpus/extract/pdf.test.ts bundles a small entry with them to check that PDF extraction works
// bundled as the CLI is.
import { readFileSync } from 'node:fs';

/** The package's version, written into the bundles: `verbatim --version` and the SARIF log's tool name it. */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** `production` (for the .vsix) minifies and drops source maps. */
export function nodeBundle(production = false) {
  return {
    bundle: true,
    minify: production,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    logLevel: 'warning',
    // pdfjs-dist is ESM and asks `import.meta.url` for a `require` (to find its optional canvas package); in a
    // CommonJS bundle import.meta is empty, so it gets the bundle's own file URL. Its worker runs in-process
    // (server/src/engine/corpus/extract/pdf.ts), so no worker file is looked up beside the bundle.
    define: { 'import.meta.url': 'importMetaUrl', 'process.env.VERBATIM_VERSION': JSON.stringify(version) },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  };
}
