/**
 * Source text shown in hovers and completion documentation is escaped so that
 * nothing in a corpus file — markdown links, `command:` URIs, HTML, backticks —
 * can become live: every markdown-significant character is backslash-escaped
 * and every `<`, `>` and `&` becomes an entity.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~:]/gu, (ch) => `\\${ch}`)
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/\s+/gu, ' ');
}
