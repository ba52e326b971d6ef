import type { Root } from 'mdast';
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import { VFile } from 'vfile';
import type { Corpus } from './corpus/corpus.js';
import remarkVerbatimNote, { type NoteAnalysis } from './note/analyze.js';
import remarkVerbatimJudge from './checks/judgements.js';
import checkUnknownSource from './checks/unknown-source.js';
import checkLocatorInvalid from './checks/locator-invalid.js';
import checkQuoteMismatch from './checks/quote-mismatch.js';
import checkQuoteWrongSource from './checks/quote-wrong-source.js';
import checkQuoteNotFound from './checks/quote-not-found.js';
import checkQuoteUncited from './checks/quote-uncited.js';
import checkLocatorMismatch from './checks/locator-mismatch.js';
import remarkVerbatimSuppress from './checks/suppression.js';
import checkClaimUncited, { type ClaimOptions } from './checks/claim-uncited.js';
import { lineIndexOf } from './checks/report.js';
import { toDiagnostics, type Diagnostic, type SeverityOverrides } from './diagnostics.js';

export type NoteProcessor = Processor<Root, Root, Root, undefined, undefined>;

/**
 * The whole check as one unified pipeline: parse markdown, read citations and
 * quotations, judge the quotations against the corpus, then one plugin per
 * diagnostic code.
 */
export interface ProcessorOptions {
  claims?: Omit<ClaimOptions, 'corpus'>;
}

export function createNoteProcessor(corpus: Corpus, options: ProcessorOptions = {}): NoteProcessor {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml', 'toml'])
    .use(remarkGfm)
    .use(remarkVerbatimNote)
    .use(remarkVerbatimJudge, { corpus })
    .use(checkUnknownSource, { corpus })
    .use(checkLocatorInvalid, { corpus })
    .use(checkQuoteMismatch)
    .use(checkQuoteWrongSource)
    .use(checkQuoteNotFound)
    .use(checkQuoteUncited)
    .use(checkLocatorMismatch, { corpus })
    .use(checkClaimUncited, { corpus, ...options.claims })
    .use(remarkVerbatimSuppress) as unknown as NoteProcessor;
}

export interface CheckOptions {
  path?: string;
  severity?: SeverityOverrides;
  processor?: NoteProcessor;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  file: VFile;
}

/** Checks one note's text against the corpus. Synchronous: nothing here waits on I/O. */
export function checkNote(corpus: Corpus, text: string, options: CheckOptions = {}): CheckResult {
  const processor = options.processor ?? createNoteProcessor(corpus);
  const file = new VFile({ value: text, path: options.path });
  const tree = processor.parse(file);
  processor.runSync(tree, file);
  return { diagnostics: toDiagnostics(file.messages, lineIndexOf(file), options.severity), file };
}

const noteReader = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).use(remarkVerbatimNote);

/** Reads a note's citations and quotations without judging them (for finding references across notes). */
export function readNote(text: string): NoteAnalysis {
  const file = new VFile({ value: text });
  noteReader.runSync(noteReader.parse(file), file);
  return file.data.verbatim ?? { citations: [], quotations: [], blocks: [] };
}
