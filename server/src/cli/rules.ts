import type { DiagnosticCode } from '../engine/codes.js';

/**
 * What each code means and how to act on it, for readers who meet a code away from the editor (a
 * code-scanning dashboard shows it beside the result). One entry per code: a new code fails the type check
 * until it has its help.
 */
export const RULE_HELP: Record<DiagnosticCode, string> = {
  'quote-mismatch':
    'The quotation is close to its cited source, but words were changed, added or left out without an ellipsis. ' +
    "The message names each change; the fix restores the source's wording. Spelling, numbers and words are never normalised.",
  'quote-distorted':
    "The quotation is the source's words by the scholarly conventions, but an ellipsis leaves out a negation, contrast or condition inside one source sentence, " +
    'or a bracket adds a negation the source does not have. The fix restores the source words.',
  'quote-misattributed':
    'The note says who spoke words that are word for word in the cited source, and the source gives them to someone else: its reporting clause, ' +
    "or a speaker named just before the words. The fix puts the source's speaker in place of the note's name.",
  'quote-wrong-source':
    'The words are not in the cited source but are in another one. The fix re-points the citation to the source and paragraph where the words are.',
  'quote-not-found': 'The words are in no source of the corpus. Check the wording against the original, or add the source to the corpus.',
  'quote-uncited':
    'A quotation of three or more words has no citation. When its words are in the corpus, the fix inserts the citation of the source and paragraph that hold them.',
  'claim-uncited':
    'A sentence states something checkable (a figure, a date, a named actor, reported speech, a superlative, a cause) and cites nothing in its paragraph or sentence. ' +
    'Cite the source that supports it.',
  'claim-unsupported':
    'A sentence that cites a source states a figure (a percentage, sum, count, year or date) that the cited paragraphs do not give in any form. ' +
    "The message names the passage's own figure of that kind; the fix puts it in when there is exactly one.",
  'unknown-source': 'The citation key is not in the corpus. The fixes replace it with the closest known keys; otherwise add the source or its bibliography entry.',
  'locator-mismatch': 'The words are in the cited source, but not at the cited paragraph or page. The fix corrects the locator.',
  'locator-invalid': 'The locator names a paragraph or page the source does not have, or cannot be read. Correct it, or remove it.',
  'corpus-error': 'A corpus file cannot be read as a source or bibliography, or the corpus folder holds no sources. The message says what is wrong with the file.',
  'note-error': 'The note cannot be read as UTF-8 text, so it was not checked. Save it as UTF-8.',
};
