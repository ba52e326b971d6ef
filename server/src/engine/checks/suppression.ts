import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import { lineIndexOf } from './report.js';

/**
 * Suppression comments, for the editor and the CLI alike:
 * `<!-- verbatim-disable-next-line quote-mismatch -->` silences the named codes
 * (or every code, when none is named) on the line after the comment;
 * `<!-- verbatim-disable … -->` … `<!-- verbatim-enable … -->` around a region.
 */
const DIRECTIVE = /^<!--\s*verbatim-(disable-next-line|disable|enable)\b([^>]*?)\s*-->$/u;

export interface Directive {
  kind: 'disable-next-line' | 'disable' | 'enable';
  codes: string[] | 'all';
  /** 0-based line the directive ends on. */
  line: number;
}

declare module 'vfile' {
  interface DataMap {
    directives: Directive[];
  }
}

function parseDirectives(tree: Root, file: VFile): Directive[] {
  const lines = lineIndexOf(file);
  const directives: Directive[] = [];
  visit(tree, 'html', (node) => {
    const match = DIRECTIVE.exec(node.value.trim());
    if (!match || node.position?.end.offset === undefined) return;
    const names = match[2].split(/[\s,]+/u).filter((n) => n.length > 0);
    directives.push({
      kind: match[1] as Directive['kind'],
      codes: names.length === 0 || names.includes('all') ? 'all' : names,
      line: lines.position(node.position.end.offset).line,
    });
  });
  return directives.sort((a, b) => a.line - b.line);
}

function covers(codes: string[] | 'all', code: string): boolean {
  return codes === 'all' || codes.includes(code);
}

/** Whether a diagnostic of `code` starting on `line` is silenced by the directives (sorted by line). */
export function suppressed(directives: readonly Directive[], code: string, line: number): boolean {
  let disabled = false;
  for (const d of directives) {
    if (d.line >= line) break;
    if (d.kind === 'disable' && covers(d.codes, code)) disabled = true;
    if (d.kind === 'enable' && covers(d.codes, code)) disabled = false;
    if (d.kind === 'disable-next-line' && d.line === line - 1 && covers(d.codes, code)) return true;
  }
  return disabled;
}

/**
 * Collects the note's suppression comments (only real HTML comments: never
 * inside code) on the file; they are applied to the whole note's diagnostics,
 * since a `disable` region may span many paragraphs.
 */
export default function remarkVerbatimDirectives() {
  return (tree: Root, file: VFile): void => {
    file.data.directives = parseDirectives(tree, file);
  };
}
