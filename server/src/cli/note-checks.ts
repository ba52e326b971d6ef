import { resolve } from 'node:path';
import { checkNote, NoteChecker, withSourceProblems, type CheckResult, type ProcessorOptions } from '../engine/check.js';
import type { Corpus } from '../engine/corpus/corpus.js';
import type { FrontMatterMode, NoteSources } from '../engine/corpus/note-sources.js';
import type { SeverityOverrides } from '../engine/diagnostics.js';

export interface NoteChecksOptions {
  readonly frontMatter: FrontMatterMode;
  readonly claims: NonNullable<ProcessorOptions['claims']>;
  readonly severity?: SeverityOverrides;
}

/**
 * Checks notes against a corpus, each with the sources its front matter
 * names (as Pandoc resolves them) where it names any: what `check` and
 * `report` both do with a note. Notes with the same front matter share one
 * corpus and one checker, and what it keeps.
 */
export class NoteChecks {
  private readonly checkers = new Map<Corpus, NoteChecker>();

  constructor(
    private readonly corpus: Corpus,
    private readonly sources: NoteSources,
    private readonly options: NoteChecksOptions,
  ) {}

  /** The note's diagnostics, with the problems of its own bibliography on its front matter. */
  async check(notePath: string, text: string): Promise<CheckResult> {
    const own = await this.sources.corpusFor(resolve(notePath), text, this.corpus, this.options.frontMatter);
    const corpus = own?.corpus ?? this.corpus;
    const result = checkNote(corpus, text, { checker: this.checkerFor(corpus), severity: this.options.severity });
    return withSourceProblems(result, own?.problems ?? [], this.options.severity);
  }

  private checkerFor(corpus: Corpus): NoteChecker {
    let known = this.checkers.get(corpus);
    if (!known) this.checkers.set(corpus, (known = new NoteChecker(corpus, { claims: this.options.claims })));
    return known;
  }
}
