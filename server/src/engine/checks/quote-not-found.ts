import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { describePlace, keysOf, quoteSnippet } from './describe.js';
import { verdictCode } from './judgements.js';
import { report } from './report.js';
import { excerpt } from '../corpus/excerpt.js';
import type { PieceReport } from '../match/judge.js';

/**
 * For a quotation with omissions marked, which part fails: a part that is not
 * in the cited source (and where it is instead), or parts that are each there
 * but out of order or too far apart.
 */
function piecesReason(keys: string, pieces: readonly PieceReport[]): string | undefined {
  const missing = pieces.filter((p) => p.cited.length === 0);
  if (missing.length > 0) {
    const parts = missing.map((p) => `"${quoteSnippet(p.text)}"${p.elsewhere ? ` (it is in ${describePlace(p.elsewhere)})` : ''}`);
    const verb = missing.length === 1 ? 'is' : 'are';
    return `Quotation is not in ${keys} as quoted: ${parts.join(' and ')} ${verb} not in ${keys}`;
  }
  const firsts = pieces.map((p) => p.cited[0]);
  const where = [...new Set(firsts.map((p) => describePlace(p)))].join(', ');
  const ordered = firsts.every((p, i) => i === 0 || p.start >= firsts[i - 1].end);
  return ordered
    ? `Quotation's parts are each in ${where}, but too far apart for an omission (an ellipsis joins the same or the next paragraph)`
    : `Quotation's parts are each in ${where}, but not in this order`;
}

/** `quote-not-found`: the quotation is in no source, not even nearly. */
export default function checkQuoteNotFound() {
  return (_tree: Root, file: VFile): void => {
    for (const { judgement: judged, quotation } of file.data.judged ?? []) {
      const reported = verdictCode(judged);
      if (reported.code !== 'quote-not-found' || !quotation.citation) continue;
      const { judgement } = reported;
      const nearest = judgement.nearest;
      const hint = nearest
        ? `; the nearest passage, ${describePlace(nearest)}, reads "${quoteSnippet(excerpt(nearest.source.text, nearest.start, nearest.end, nearest.source.format === 'markdown'))}"`
        : '';
      const reason = (judgement.pieces && piecesReason(keysOf(quotation.citation), judgement.pieces)) ?? `Quotation is not in ${keysOf(quotation.citation)} or any other source${hint}`;
      report(file, 'quote-not-found', reason, quotation.span, {
        key: nearest?.source.key,
        paragraphs: nearest ? [...nearest.paragraphs] : undefined,
      });
    }
  };
}
