import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus } from '../server/src/engine/corpus/corpus.js';
import { checkNote } from '../server/src/engine/check.js';
import { citationHover, quotationHover } from '../server/src/engine/services/hover.js';
import { keyCompletions, paragraphCompletions } from '../server/src/engine/services/completion.js';

const hostile = [
  'A hostile source',
  'Click [here](command:workbench.action.terminal.new) or <img src=x onerror=alert(1)> and `rm -rf` *now* https://evil.example/x and more.',
].join('\n');
const corpus = buildCorpus(
  [{ path: '/c/hostile.txt', text: hostile }],
  [{ path: '/c/refs.json', text: JSON.stringify([{ id: 'hostile', title: '[t](command:x) <b>bold</b>', author: [{ literal: '<script>x</script>' }] }]) }],
);

/** Markdown that VS Code would render with a live link, HTML or code: none of it may appear unescaped. */
function assertInert(markdown: string): void {
  assert.doesNotMatch(markdown, /(?<!\\)\[[^\]]*(?<!\\)\]\((?!\s)/u, 'no link syntax');
  assert.doesNotMatch(markdown, /<(?!\/?(?:b|strong)>)[a-z/!]/iu, 'no raw HTML tag');
  assert.doesNotMatch(markdown, /(?<!\\)`/u, 'no code span');
  assert.doesNotMatch(markdown, /command:/u, 'no command: URI left intact');
  assert.doesNotMatch(markdown, /https:\/\//u, 'no autolink');
}

test('a quotation hover renders a hostile source as plain text', () => {
  // The passage around the quoted words carries everything hostile in the paragraph.
  const note = 'The source ends "and more" [@hostile].\n';
  const judged = checkNote(corpus, note).judged[0];
  assert.ok(judged);
  const markdown = quotationHover(corpus, judged);
  assertInert(markdown);
  assert.match(markdown, /Click \\\[here\\\]\\\(command\\:workbench/u);
  assert.match(markdown, /&lt;img src=x onerror=alert\\\(1\\\)&gt;/u);
});

test('a citation hover and completion documentation escape metadata and text', () => {
  const item = checkNote(corpus, 'See [@hostile, ¶ 2].\n').analysis.citations[0]?.items[0];
  assert.ok(item);
  const markdown = citationHover(corpus, item);
  assert.ok(markdown);
  assertInert(markdown);
  assert.equal(
    markdown,
    [
      '**hostile** — *\\[t\\]\\(command\\:x\\) &lt;b&gt;bold&lt;/b&gt;* — &lt;script&gt;x&lt;/script&gt;',
      '',
      '2 paragraphs',
      '',
      '¶ 2:',
      '',
      '> Click \\[here\\]\\(command\\:workbench\\.action\\.terminal\\.new\\) or &lt;img src=x onerror=alert\\(1\\)&gt; and \\`rm \\-rf\\` \\*now\\* https\\://evil\\.example/x and more\\.',
    ].join('\n'),
  );
  for (const entry of [...keyCompletions(corpus), ...paragraphCompletions(corpus, 'hostile')]) assertInert(entry.documentation);
});
