// The esbuild options every Node bundle shares: scripts/build.mjs bundles the CLI, the server and the client
// with them, and test/engine/corpus/extract/pdf.test.ts bundles a small entry with them to check that PDF extraction works
// bundled as the CLI is.
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';

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

/** The module of compromise that grows its lexicon as it loads (conjugations, plurals, comparatives). */
const COMPROMISE_MODEL = /[\\/]compromise[\\/]src[\\/]2-two[\\/]preTagger[\\/]model[\\/]index\.js$/;
const EXPANSION = 'model = expandLexicon(model)';

/**
 * compromise expands its compressed lexicon every time it is loaded: about 190 ms of CPU, most of a process's
 * wait for the claim tagger. The expansion depends on nothing but the library's own data, so the bundle carries
 * its result, computed here from the installed compromise by the library's own code: the words it adds (and the
 * tags it changes) are assigned to the same objects, in the same order, where the module would have expanded
 * them. A compromise whose module no longer reads as expected stops the build rather than being bundled as is.
 */
function expandedCompromiseLexicon() {
  let expanded;
  return {
    name: 'expanded-compromise-lexicon',
    setup(build) {
      build.onLoad({ filter: COMPROMISE_MODEL }, async (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (source.split(EXPANSION).length !== 2) throw new Error(`${args.path}: no single "${EXPANSION}" to replace; update scripts/bundle-options.mjs for this compromise`);
        expanded ??= import(pathToFileURL(args.path).href).then(({ default: model }) =>
          JSON.stringify({ lexicon: model.one.lexicon, multiCache: model.one._multiCache, uncountable: model.two.uncountable }),
        );
        const assign =
          `const expanded = JSON.parse(${JSON.stringify(await expanded)});\n` +
          'Object.assign(model.one.lexicon, expanded.lexicon);\n' +
          'Object.assign(model.one._multiCache, expanded.multiCache);\n' +
          'Object.assign(model.two.uncountable, expanded.uncountable)';
        return { contents: source.replace(EXPANSION, assign), loader: 'js' };
      });
    },
  };
}

/** `production` (for the .vsix) minifies and drops source maps. */
export function nodeBundle(production = false) {
  return {
    plugins: [separateExtractors, expandedCompromiseLexicon()],
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
