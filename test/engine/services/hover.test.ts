import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus } from '../../../server/src/engine/corpus/corpus.js';
import { checkNote } from '../../../server/src/engine/check.js';
import { bundledCorpus } from '../../helpers.js';
import { citationHover, quotationHover } from '../../../server/src/engine/services/hover.js';
import { keyCompletions, paragraphCompletions } from '../../../server/src/engine/services/completion.js';

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

test('a quotation altered by convention lists every editorial change: what each ellipsis leaves out, what each bracket stands for', () => {
  const corpus = bundledCorpus();
  const hoverOf = (note: string): string => {
    const result = checkNote(corpus, note);
    assert.equal(result.judged[0]?.judgement.verdict, 'convention', note);
    return quotationHover(corpus, result.judged[0]);
  };
  const bracket = hoverOf('Korybko: "The Taliban captured over half of [the country’s] regional capitals in a single week" [@korybko2021].\n');
  assert.ok(bracket.includes('\nEditorial changes (quotation → source):\n- ~~\\[the country’s\\]~~ → **Afghanistan’s**\n'), bracket);
  const ellipsis = hoverOf('He wrote that "a high-ranking Taliban member recently threatened that ... Control of Kabul and the Afghan regime is inevitable" [@korybko2021].\n');
  assert.ok(ellipsis.includes('\n- ~~…~~ → **“We will get around Kabul like an anaconda\\.** (left out)\n'), ellipsis);
  const long = hoverOf('Korybko: "It hasn’t hinted anything to this effect ... asking Ghani to consider resigning" [@korybko2021, ¶ 2].\n');
  assert.ok(long.includes('\n- ~~…~~ → **, but it would be wise … on capturing the capital while also** (left out)\n'), long);
});

test('the hover lists every editorial change: an interpolation, a case change, an editorial mark (seed sentences)', () => {
  const corpus = bundledCorpus();
  const hoverOf = (note: string): string => {
    const result = checkNote(corpus, note);
    assert.equal(result.judged[0]?.judgement.verdict, 'convention', note);
    return quotationHover(corpus, result.judged[0]);
  };
  const insertion = hoverOf('Suchkov: "journalists pressured the [Russian] Foreign Ministry about the legal basis for officially hosting them in Moscow" [@suchkov2021, ¶ 5].\n');
  assert.ok(insertion.includes('\nEditorial changes (quotation → source):\n- ~~\\[Russian\\]~~ → (nothing: an insertion)\n'), insertion);
  const lower = hoverOf('Suchkov notes that "[t]he Taliban have been designated as “terrorist organization” in Russia since the early 2000s" [@suchkov2021, ¶ 5].\n');
  assert.ok(lower.includes('\n- ~~\\[t\\]he~~ → **The** (small t for T)\n'), lower);
  const capital = hoverOf('Suchkov: "[T]he visit quickly turned into a political meme" [@suchkov2021, ¶ 5].\n');
  assert.ok(capital.includes('\n- ~~\\[T\\]he~~ → **the** (capital T for t)\n'), capital);
  const all = hoverOf('Korybko: "[t]he Taliban captured over half of [the country’s] regional capitals in a single week [sic]" [@korybko2021].\n');
  assert.ok(all.includes('\n- ~~\\[the country’s\\]~~ → **Afghanistan’s**\n- ~~\\[t\\]he~~ → **The** (small t for T)\n- \\[sic\\] (an editorial mark)\n'), all);
});
