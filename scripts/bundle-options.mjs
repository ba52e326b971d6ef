// The esbuild options every Node bundle shares: scripts/build.mjs bundles the CLI, the server and the client
// with them, and test/engine/corpus/extract/pdf.test.ts bundles a small entry with them to check that PDF extraction works
// bundled as the CLI is.
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';

/** The package's version, written into the bundles: `verbatim --version` and the SARIF log's tool name it. */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * The document readers (pdf.js, Readability over linkedom, mammoth) are more than half of the server's code, and a
 * corpus of text files never needs them: each is bundled into a file of its own beside the bundle that loads it
 * (`extract-pdf.js`, …), so a process parses them only when a document first needs one. Keys: the module
 * `server/src/engine/corpus/extract/index.ts` imports; values: the entry of each file.
 */
export const extractorBundles = {
  'extract-pdf': 'server/src/engine/corpus/extract/pdf.ts',
  'extract-html': 'server/src/engine/corpus/extract/html.ts',
  'extract-docx': 'server/src/engine/corpus/extract/docx.ts',
};

/** Leaves the extractors' dynamic imports in `extract/index.ts` to the files `extractorBundles` builds. */
const separateExtractors = {
  name: 'separate-extractors',
  setup(build) {
    build.onResolve({ filter: /^\.\/(pdf|html|docx)\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.endsWith(`${sep}extract${sep}index.ts`)
        ? { path: `./extract-${args.path.slice(2, -3)}.js`, external: true }
        : undefined,
    );
  },
};

/** `production` (for the .vsix) minifies and drops source maps. */
export function nodeBundle(production = false) {
  return {
    plugins: [separateExtractors],
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
