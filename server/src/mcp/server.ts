import { join } from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { checkNote, NoteChecker } from '../engine/check.js';
import { ClaimTagger } from '../engine/claims/detect.js';
import type { Corpus, Source } from '../engine/corpus/corpus.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { displayPath, loadCorpus } from '../engine/corpus/load.js';
import { problemDiagnostic } from '../engine/diagnostics.js';
import { quickFixes } from '../engine/fixes.js';
import { findPassages, verifyQuotation } from '../engine/services/passages.js';

/** A source's resource: `verbatim-source://source/KEY`, the key percent-encoded. */
const SOURCE_TEMPLATE = 'verbatim-source://source/{key}';
const sourceUri = (key: string): string => `verbatim-source://source/${encodeURIComponent(key)}`;

/** A tool's answer: the result as JSON text (what every client shows the model) and as structured content. */
function answer(result: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
}

function resourceOf(source: Source): { uri: string; name: string; title?: string; description?: string; mimeType: string } {
  const meta = source.metadata;
  const byline = [meta?.authors.join(', '), meta?.container, meta?.date].filter((p): p is string => !!p).join(', ');
  return {
    uri: sourceUri(source.key),
    name: source.key,
    ...(meta?.title ? { title: meta.title } : {}),
    description: `${meta?.title ?? source.key}${byline ? ` — ${byline}` : ''} (${source.paragraphs.length} paragraphs, ${displayPath(source.path)})`,
    mimeType: source.format === 'markdown' ? 'text/markdown' : 'text/plain',
  };
}

/** The corpus's diagnostics for one markdown text, in 1-based lines and columns, with each quick fix's edit. */
function checkMarkdown({ corpus, checker }: CheckedCorpus, markdown: string): Record<string, unknown> {
  const { diagnostics } = checkNote(corpus, markdown, { checker });
  return {
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      fixes: quickFixes(d.data).map((f) => ({ title: f.title, newText: f.newText, line: f.range.start.line + 1, column: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 })),
    })),
    corpusProblems: corpus.problems.flatMap((p) => {
      const diagnostic = problemDiagnostic(p);
      return diagnostic ? [{ path: displayPath(p.path), severity: diagnostic.severity, message: diagnostic.message }] : [];
    }),
  };
}

/** The corpus, and a checker that reads claims as `verbatim check` does. */
interface CheckedCorpus {
  readonly corpus: Corpus;
  readonly checker: NoteChecker;
}

/**
 * The Model Context Protocol server: an assistant checks a draft (`check_note`), one quotation
 * (`verify_quote`), or looks words up (`find_passage`) against the corpus, and reads each source as a
 * resource. The corpus is read once, in the background from start-up, so the handshake does not wait for it.
 */
function createMcpServer(corpusDir: string, version: string): McpServer {
  const checked: Promise<CheckedCorpus> = Promise.all([
    loadCorpus(corpusDir, { cache: new FolderExtractionCache(join(userCacheFolder(), 'extracted')), indexCache: userCacheFolder() }),
    ClaimTagger.load(),
  ]).then(([corpus, tagger]) => ({ corpus, checker: new NoteChecker(corpus, { claims: { tagger } }) }));
  const corpus = checked.then(({ corpus }) => corpus);
  // A corpus that cannot be read is each tool call's error (the calls await this promise), not a crash before one.
  corpus.catch(() => undefined);
  const server = new McpServer(
    { name: 'verbatim', version },
    { instructions: `Checks quotations and citations against the sources in ${displayPath(corpusDir)}: call verify_quote before quoting a source, find_passage to find where words come from, check_note on a markdown draft with Pandoc citations ([@key, ¶ 4]).` },
  );

  server.registerTool(
    'check_note',
    {
      title: 'Check a markdown note',
      description:
        'Checks every quotation and citation in a markdown note (Pandoc citations such as [@key, ¶ 4]) against the corpus, as `verbatim check` does. Returns the diagnostics with 1-based lines and columns, and each quick fix as the text to put in their place.',
      inputSchema: { markdown: z.string().describe('The note, as markdown') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ markdown }) => answer(checkMarkdown(await checked, markdown)),
  );

  server.registerTool(
    'verify_quote',
    {
      title: 'Verify a quotation',
      description:
        'Checks quoted words against the corpus: whether they are word for word in the cited source (key) at the cited place (locator), and if not, what changed, where the words really are, and the citation to use. Without a key, says which source holds the words.',
      inputSchema: {
        words: z.string().describe('The quoted words, without quotation marks'),
        key: z.string().optional().describe('The citation key of the source they are attributed to, e.g. korybko2021'),
        locator: z.string().optional().describe('Where in the source, as in a citation: "¶ 4", "paras. 4–6", "p. 12"'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ words, key, locator }) => answer({ ...verifyQuotation(await corpus, words, key, locator) }),
  );

  server.registerTool(
    'find_passage',
    {
      title: 'Find source passages',
      description:
        'Finds the source passages that best match some words, best first: where they stand word for word, the closest near match, then the paragraphs sharing most of their terms. Each comes with its key, locator and a citation to paste.',
      inputSchema: {
        words: z.string().describe('Words to look for: a quotation, or a paraphrase of what a source says'),
        limit: z.number().int().min(1).max(20).optional().describe('How many passages at most (default 5)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ words, limit }) => answer({ passages: findPassages(await corpus, words, limit) }),
  );

  server.registerResource(
    'source',
    new ResourceTemplate(SOURCE_TEMPLATE, { list: async () => ({ resources: (await corpus).sources.map(resourceOf) }) }),
    { title: 'Corpus source', description: 'The text of a source in the corpus, as Verbatim reads it (a PDF, web page or Word file as extracted)' },
    async (uri, variables) => {
      const key = decodeURIComponent(String(variables.key));
      const source = (await corpus).byKey.get(key);
      if (!source) throw new Error(`No source "${key}" in the corpus`);
      return { contents: [{ uri: uri.href, mimeType: resourceOf(source).mimeType, text: source.text }] };
    },
  );
  return server;
}

/** Serves the corpus over stdio until the client closes the connection. */
export async function runMcpServer(corpusDir: string, version: string): Promise<void> {
  await createMcpServer(corpusDir, version).connect(new StdioServerTransport());
}
