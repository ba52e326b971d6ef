import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNote } from '../../../server/src/engine/check.js';
import type { NoteAnalysis, NoteCitation, NoteQuotation } from '../../../server/src/engine/note/analyze.js';
import type { Span } from '../../../server/src/engine/note/citations.js';
import { bundledCorpus, claimChecker, codes } from '../../helpers.js';

/** What the note reader found in `note`, through the whole unified pipeline. */
function read(note: string): NoteAnalysis {
  const analysis = checkNote(bundledCorpus(), note).analysis;
  assert.ok(analysis, 'the note reader stored its analysis');
  return analysis;
}

const slice = (note: string, span: Span): string => note.slice(span.start, span.end);

function citationsAndQuotations(note: string): Pick<NoteAnalysis, 'citations' | 'quotations'> {
  const { citations, quotations } = read(note);
  return { citations, quotations };
}

/** Each quotation's document span, sliced from the note. */
function quoted(note: string): string[] {
  return read(note).quotations.map((q) => slice(note, q.span));
}

/** Each citation, as written in the note. */
function cited(note: string): string[] {
  return read(note).citations.map((c) => slice(note, c));
}

function onlyQuotation(note: string): NoteQuotation {
  const { quotations } = read(note);
  assert.equal(quotations.length, 1, `one quotation in ${JSON.stringify(note)}, got ${quotations.length}`);
  return quotations[0];
}

/** The citation a note's only quotation is attached to, as written in the note (undefined when uncited). */
function attachedTo(note: string): string | undefined {
  const citation: NoteCitation | undefined = onlyQuotation(note).citation;
  return citation ? slice(note, citation) : undefined;
}

/** For each quotation, the citation it is attached to, as written. */
function attachments(note: string): (string | undefined)[] {
  return read(note).quotations.map((q) => (q.citation ? slice(note, q.citation) : undefined));
}

const ANACONDA = 'We will get around Kabul like an anaconda.';

describe('note reading: what is not prose', () => {
  test('a code span holds no citation and no quotation', () => {
    const note = 'Write `"like this" [@korybko2021]` in a note.\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('a fenced code block holds no citation and no quotation', () => {
    const note = 'Text.\n\n```markdown\n"We will get around Kabul" [@korybko2021]\n```\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('an indented code block holds no citation and no quotation', () => {
    const note = 'Text.\n\n    "We will get around Kabul" [@korybko2021]\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('a code block inside a blockquote is not quoted or cited', () => {
    const note = '> ```\n> "We will get around Kabul" [@korybko2021]\n> ```\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('an HTML block holds no citation and no quotation', () => {
    const note = '<div class="x">\n"We will get around Kabul" [@korybko2021]\n</div>\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('an HTML comment holds no citation and no quotation', () => {
    const note = 'Before <!-- "hidden quote" [@korybko2021] --> after.\n\n<!-- "block" @anon2021 -->\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('an inline HTML tag (its attributes) holds no citation and no quotation', () => {
    const note = 'See <abbr title="said @korybko2021">this</abbr> here.\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('a link URL and title hold no citation and no quotation; the link text is prose', () => {
    const note = 'See [his "anaconda strategy" essay](https://example.com/@korybko2021 "a \\"title\\"") [@korybko2021].\n';
    assert.deepEqual(cited(note), ['[@korybko2021]']);
    assert.deepEqual(quoted(note), ['anaconda strategy']);
  });

  test('a pointed autolink with an @ in it is no citation; a bare URL is plain text to Pandoc, so its @handle cites', () => {
    const note = 'Read <https://x.com/@anon2021> or https://medium.com/@korybko2021 or www.x.com/@gul2021 here.\n';
    assert.deepEqual(cited(note), ['@korybko2021', '@gul2021']);
  });

  test('an e-mail address is no citation', () => {
    assert.deepEqual(read('Write to user@example.com or <press@korybko2021.org>.\n').citations, []);
  });

  test('an escaped \\@ is no citation (Pandoc), an escaped backslash before @ is', () => {
    const note = 'Not cited: \\@korybko2021. Cited: \\\\@gul2021.\n';
    assert.deepEqual(cited(note), ['@gul2021']);
  });

  test('escaped brackets make no bracketed citation; the @key inside is narrative', () => {
    const note = 'See \\[@anon2021\\] here.\n';
    assert.deepEqual(read(note).citations.map((c) => c.kind), ['narrative']);
    assert.deepEqual(cited(note), ['@anon2021']);
  });

  test("an image's alt text is prose (Pandoc's figure caption); its URL holds no citation", () => {
    const note = '![a "caption in three words" by @korybko2021](pic@anon2021.png) text.\n';
    assert.deepEqual(cited(note), ['@korybko2021']);
    assert.deepEqual(quoted(note), ['caption in three words']);
    assert.equal(attachedTo(note), '@korybko2021');
  });

  test('YAML front matter holds no citation and no quotation', () => {
    const note = '---\ntitle: "Kabul" by @korybko2021\nquote: "We will get around Kabul"\n---\n\nBody text.\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('TOML front matter holds no citation and no quotation', () => {
    const note = '+++\ntitle = "x @korybko2021"\n+++\n\nBody text.\n';
    assert.deepEqual(citationsAndQuotations(note), { citations: [], quotations: [] });
  });

  test('prose around code still counts', () => {
    const note = 'Run `x` then "We will get around Kabul" [@korybko2021].\n';
    assert.deepEqual(quoted(note), ['We will get around Kabul']);
    assert.deepEqual(cited(note), ['[@korybko2021]']);
  });
});

describe('note reading: citations in document offsets', () => {
  test('citation spans, key spans and locator spans slice the note', () => {
    const note = '# Notes\n\nAs 👍🏽 said [see @korybko2021, ¶ 6, for context] and @anon2021 [¶ 4].\n';
    const { citations } = read(note);
    assert.deepEqual(citations.map((c) => slice(note, c)), ['[see @korybko2021, ¶ 6, for context]', '@anon2021 [¶ 4]']);
    assert.deepEqual(citations.map((c) => c.kind), ['bracketed', 'narrative']);
    const [first, second] = citations;
    assert.equal(slice(note, first.items[0].keySpan), '@korybko2021');
    const locator = first.items[0].locator;
    assert.ok(locator?.kind === 'paragraph' && locator.numbers);
    assert.equal(slice(note, locator), '¶ 6');
    assert.equal(slice(note, locator.numbers), '6');
    assert.equal(first.items[0].prefix, 'see');
    assert.ok(second.items[0].locator);
    assert.equal(slice(note, second.items[0].locator), '¶ 4');
  });

  test('citations are collected in document order from paragraphs, headings, lists, tables and blockquotes', () => {
    const note = [
      '# A heading [@anon2021]',
      '',
      'A paragraph @gul2021.',
      '',
      '- a list item [@suchkov2021, ¶ 2]',
      '',
      '| a |',
      '|---|',
      '| cell [@zochowski2021] |',
      '',
      '> quoted [@korybko2021]',
      '',
    ].join('\n');
    assert.deepEqual(
      read(note).citations.flatMap((c) => c.items.map((i) => i.key)),
      ['anon2021', 'gul2021', 'suchkov2021', 'zochowski2021', 'korybko2021'],
    );
  });

  test('emphasis inside a citation paragraph does not shift offsets', () => {
    const note = 'The **Taliban** _said_ so [@korybko2021, para. 6].\n';
    assert.deepEqual(cited(note), ['[@korybko2021, para. 6]']);
  });
});

describe('note reading: inline quotations', () => {
  test('straight double quotes', () => {
    assert.deepEqual(quoted('He said "We will get around Kabul" [@korybko2021].\n'), ['We will get around Kabul']);
  });

  test('curly double quotes', () => {
    assert.deepEqual(quoted('He said “We will get around Kabul” [@korybko2021].\n'), ['We will get around Kabul']);
  });

  test('balanced curly single quotes (British style)', () => {
    assert.deepEqual(quoted('He said ‘We will get around Kabul’ [@korybko2021].\n'), ['We will get around Kabul']);
  });

  test('a ’ inside a word is an apostrophe, not a closing mark', () => {
    const note = 'He wrote ‘the Taliban’s rapid takeover’ [@korybko2021].\n';
    assert.deepEqual(quoted(note), ['the Taliban’s rapid takeover']);
  });

  test('apostrophes outside quotation marks make no quotation', () => {
    assert.deepEqual(quoted('The Taliban’s offensive doesn’t stop [@korybko2021].\n'), []);
  });

  test('straight single quotes are apostrophes, never quotation marks', () => {
    assert.deepEqual(quoted("He said 'We will get around Kabul' and it's true.\n"), []);
  });

  test('a single quotation inside a double one is part of it', () => {
    const note = 'He wrote “the ‘anaconda strategy’ works” [@korybko2021].\n';
    assert.deepEqual(quoted(note), ['the ‘anaconda strategy’ works']);
  });

  test('a stray ‘ (an elided ‘90s) does not keep a double quotation open', () => {
    assert.deepEqual(quoted('“In the ‘90s it was different,” he said [@korybko2021].\n'), ['In the ‘90s it was different,']);
    assert.deepEqual(quoted('"In the ‘90s it was different," he said [@korybko2021].\n'), ['In the ‘90s it was different,']);
  });

  test('a quotation left open is no quotation', () => {
    assert.deepEqual(quoted('He said "We will get around Kabul [@korybko2021].\n'), []);
  });

  test('a quotation never runs across paragraphs', () => {
    assert.deepEqual(quoted('He said "We will get around\n\nKabul" [@korybko2021].\n'), []);
  });

  test('several quotations in a paragraph are found in order', () => {
    const note = 'Żochowski writes of "inclusive dialogue" and of a “representative” government [@zochowski2021, ¶ 5].\n';
    assert.deepEqual(quoted(note), ['inclusive dialogue', 'representative']);
  });

  test('quotations in headings, list items and table cells', () => {
    const note = '# He said "get around Kabul"\n\n- Item "like an anaconda"\n\n| a |\n|---|\n| "the Afghan regime" |\n';
    assert.deepEqual(quoted(note), ['get around Kabul', 'like an anaconda', 'the Afghan regime']);
  });

  test('the quotation’s prose drops markdown emphasis; its span keeps the markers', () => {
    const note = 'He said "We will *get around* Kabul" [@korybko2021].\n';
    const quotation = onlyQuotation(note);
    assert.equal(quotation.kind, 'inline');
    assert.equal(quotation.prose.text, 'We will get around Kabul');
    assert.equal(slice(note, quotation.span), 'We will *get around* Kabul');
  });

  test('emphasis around the whole quotation, marks included', () => {
    assert.deepEqual(quoted('He said *"We will get around Kabul"* [@korybko2021].\n'), ['We will get around Kabul']);
  });

  test('a quotation may wrap across lines of a paragraph', () => {
    const note = 'He said "We will get around\nKabul like an anaconda." [@korybko2021]\n';
    const quotation = onlyQuotation(note);
    assert.equal(slice(note, quotation.span), 'We will get around\nKabul like an anaconda.');
    assert.equal(quotation.prose.text, 'We will get around\nKabul like an anaconda.');
  });

  test('a quotation wrapped with CRLF line endings slices to exactly the quoted words', () => {
    const note = 'Intro line.\r\n\r\nHe said "We will get around\r\nKabul like an anaconda." [@korybko2021]\r\n';
    assert.deepEqual(quoted(note), ['We will get around\r\nKabul like an anaconda.']);
    assert.deepEqual(codes(checkNote(bundledCorpus(), note).diagnostics), []);
  });

  test('an emoji earlier on the line does not shift the quotation span', () => {
    const note = '👍🏽 Korybko: "We will get around Kabul like an anaconda." [@korybko2021]\n';
    assert.deepEqual(quoted(note), [ANACONDA]);
  });

  test('a decomposed accent and an emoji before a curly quotation', () => {
    const note = 'Cafe\u0301 👍🏽 talk: “We will get around Kabul” [@korybko2021]\n';
    assert.deepEqual(quoted(note), ['We will get around Kabul']);
  });

  test('a quotation wrapped by a hard line break', () => {
    const note = 'He said "We will get around  \nKabul like an anaconda." [@korybko2021]\n';
    assert.deepEqual(quoted(note), ['We will get around  \nKabul like an anaconda.']);
  });
});

describe('note reading: attaching inline quotations to citations', () => {
  test('(a) a citation after the quotation in the same sentence', () => {
    assert.equal(attachedTo('He said "We will get around Kabul" in 2021 [@korybko2021].\n'), '[@korybko2021]');
  });

  test('(a) a citation right after a quotation whose full stop ends the sentence', () => {
    assert.equal(attachedTo(`He said "${ANACONDA}" [@korybko2021]\n`), '[@korybko2021]');
    assert.equal(attachedTo(`He said “${ANACONDA}” [@korybko2021]. Then more.\n`), '[@korybko2021]');
  });

  test('(a) a citation separated from the quotation only by punctuation and white space', () => {
    assert.equal(attachedTo('He said "We will get around Kabul" -- [@korybko2021].\n'), '[@korybko2021]');
    assert.equal(attachedTo('He said "We will get around Kabul", [@korybko2021].\n'), '[@korybko2021]');
  });

  test('(a) the citation after the quotation wins over one earlier in the sentence', () => {
    const note = '@suchkov2021 notes that "We will get around Kabul" [@korybko2021] and more.\n';
    assert.equal(attachedTo(note), '[@korybko2021]');
  });

  test('(a) the first citation after the quotation, not a later one', () => {
    const note = '"We will get around Kabul" [@korybko2021] as [@anon2021] also says.\n';
    assert.equal(attachedTo(note), '[@korybko2021]');
  });

  test('(a) each quotation takes the first citation after it', () => {
    const note = 'He said "We will" [@anon2021] and "get around Kabul" [@korybko2021].\n';
    assert.deepEqual(attachments(note), ['[@anon2021]', '[@korybko2021]']);
  });

  test('(a) both halves of a split quotation take the citation after the sentence', () => {
    const note = '“We will get around Kabul,” he said, “like an anaconda.” [@korybko2021]\n';
    assert.deepEqual(attachments(note), ['[@korybko2021]', '[@korybko2021]']);
  });

  test('(a) a narrative citation with a locator after the quotation', () => {
    assert.equal(attachedTo('He said "We will get around Kabul" @korybko2021 [¶ 6].\n'), '@korybko2021 [¶ 6]');
  });

  test('(a) a group of several keys', () => {
    const note = '"We will get around Kabul" [@korybko2021; @anon2021, ¶ 2].\n';
    const citation = onlyQuotation(note).citation;
    assert.deepEqual(citation?.items.map((i) => i.key), ['korybko2021', 'anon2021']);
  });

  test('(b) a narrative citation earlier in the same sentence', () => {
    assert.equal(attachedTo('@korybko2021 writes that "We will get around Kabul".\n'), '@korybko2021');
  });

  test('(b) a bracketed citation earlier in the same sentence', () => {
    assert.equal(attachedTo('Korybko [@korybko2021] writes that "We will get around Kabul".\n'), '[@korybko2021]');
  });

  test('(b) the citation of the quotation’s own sentence, not one in a later sentence', () => {
    const note = `@korybko2021 wrote "${ANACONDA}" Then "a separate claim" [@anon2021].\n`;
    assert.deepEqual(attachments(note), ['@korybko2021', '[@anon2021]']);
  });

  test('(b) the nearer of two earlier citations in the sentence', () => {
    const note = '[@anon2021] and @korybko2021 both quote "We will get around Kabul".\n';
    assert.equal(attachedTo(note), '@korybko2021');
  });

  test('(c) the nearest citation earlier in the same paragraph', () => {
    const note = 'Korybko covers the threats [@korybko2021]. He reports that "We will get around Kabul".\n';
    assert.equal(attachedTo(note), '[@korybko2021]');
  });

  test('(c) the nearest of several earlier citations in the paragraph', () => {
    const note = 'First [@anon2021]. Then [@korybko2021]. Finally "We will get around Kabul".\n';
    assert.equal(attachedTo(note), '[@korybko2021]');
  });

  test('(c) an earlier citation beats a citation in a later sentence', () => {
    const note = 'Korybko writes [@korybko2021]. "We will get around Kabul" is his line. Gul disagrees [@gul2021].\n';
    assert.equal(attachedTo(note), '[@korybko2021]');
  });

  test('a citation in a later sentence of the paragraph does not attach', () => {
    assert.equal(attachedTo(`"${ANACONDA}" He was clear [@korybko2021].\n`), undefined);
  });

  test('a narrative citation starting the next sentence does not attach', () => {
    const note = `He wrote "${ANACONDA}" @anon2021 disagrees.\n`;
    assert.equal(attachedTo(note), undefined);
  });

  test('a citation in a later paragraph never attaches', () => {
    assert.equal(attachedTo('He said "We will get around Kabul".\n\n[@korybko2021]\n'), undefined);
    assert.equal(attachedTo('He said "We will get around Kabul".\n\nLater [@korybko2021] wrote it.\n'), undefined);
  });

  test('a citation in an earlier paragraph never attaches', () => {
    assert.equal(attachedTo('Korybko [@korybko2021].\n\nHe said "We will get around Kabul".\n'), undefined);
  });

  test('an attached quotation is judged against its citation: no diagnostics when it matches', () => {
    const note = `Korybko quotes a member: "${ANACONDA}" [@korybko2021, ¶ 6]\n`;
    assert.deepEqual(codes(checkNote(bundledCorpus(), note).diagnostics), []);
  });

  test('an unattached quotation of real words is reported uncited', () => {
    const note = `"${ANACONDA}" He was clear [@korybko2021].\n`;
    assert.deepEqual(codes(checkNote(bundledCorpus(), note).diagnostics), ['quote-uncited']);
  });
});

describe('note reading: blockquotes', () => {
  test('a blockquote is one block quotation', () => {
    const note = `> ${ANACONDA}\n> -- [@korybko2021, ¶ 6]\n`;
    const quotation = onlyQuotation(note);
    assert.equal(quotation.kind, 'block');
    assert.equal(quotation.prose.text, ANACONDA);
    assert.equal(slice(note, quotation.span), ANACONDA);
  });

  test('attribution on the last line of the same paragraph: -- [@key, ¶ 12]', () => {
    const note = `> ${ANACONDA}\n> -- [@korybko2021, ¶ 12]\n`;
    assert.equal(attachedTo(note), '[@korybko2021, ¶ 12]');
    assert.equal(onlyQuotation(note).prose.text, ANACONDA);
  });

  test('attribution on the last line of the same paragraph: — Name [@key]', () => {
    const note = `> We will get around Kabul\n> like an anaconda.\n> — Andrew Korybko [@korybko2021]\n`;
    assert.equal(attachedTo(note), '[@korybko2021]');
    assert.equal(onlyQuotation(note).prose.text, 'We will get around Kabul\nlike an anaconda.');
  });

  test('attribution as a paragraph of its own inside the blockquote', () => {
    const note = `> ${ANACONDA}\n>\n> — Korybko [@korybko2021, ¶ 6]\n`;
    assert.equal(attachedTo(note), '[@korybko2021, ¶ 6]');
    assert.equal(onlyQuotation(note).prose.text, ANACONDA);
  });

  test('a citation at the end of the quoted text itself', () => {
    const note = `> ${ANACONDA} [@korybko2021, ¶ 6]\n`;
    assert.equal(attachedTo(note), '[@korybko2021, ¶ 6]');
    assert.equal(onlyQuotation(note).prose.text, ANACONDA);
  });

  test('a citation within the quoted text is cut out of it', () => {
    const note = '> We will get around Kabul [@korybko2021] like an anaconda.\n';
    assert.equal(attachedTo(note), '[@korybko2021]');
    assert.doesNotMatch(onlyQuotation(note).prose.text, /@/);
    assert.deepEqual(codes(checkNote(bundledCorpus(), note).diagnostics), []);
  });

  test('a paragraph right after the blockquote that is only an attribution line', () => {
    for (const line of ['-- [@korybko2021, ¶ 6]', '— Andrew Korybko [@korybko2021, ¶ 6]', '[@korybko2021, ¶ 6]']) {
      const note = `> ${ANACONDA}\n\n${line}\n`;
      assert.equal(attachedTo(note), '[@korybko2021, ¶ 6]', line);
      assert.equal(onlyQuotation(note).prose.text, ANACONDA, line);
    }
  });

  test('an attribution opened by a dash may hold initials and titles', () => {
    const same = `> ${ANACONDA}\n> — A. Korybko [@korybko2021, ¶ 6]\n`;
    assert.equal(onlyQuotation(same).prose.text, ANACONDA);
    const after = `> ${ANACONDA}\n\n— Amb. A. Korybko [@korybko2021, ¶ 6]\n`;
    assert.equal(attachedTo(after), '[@korybko2021, ¶ 6]');
    // Read as Korybko's, the words are a Taliban member's (korybko2021 ¶ 6): the name was read, titles aside.
    assert.deepEqual(
      checkNote(bundledCorpus(), after, { checker: claimChecker() }).diagnostics.map((d) => [d.code, d.message]),
      [['quote-misattributed', 'The source gives these words to a high-ranking Taliban member, not Korybko (korybko2021 ¶ 6)']],
    );
  });

  test('a paragraph of prose after the blockquote does not attribute it', () => {
    const note = `> ${ANACONDA}\n\nSee @korybko2021 for a long discussion of the war, its many causes and its consequences. It goes on.\n`;
    assert.equal(attachedTo(note), undefined);
  });

  test('an attribution two paragraphs later does not attach', () => {
    const note = `> ${ANACONDA}\n\nSome prose.\n\n-- [@korybko2021]\n`;
    assert.equal(attachedTo(note), undefined);
  });

  test('a citation inside the blockquote wins over an attribution after it', () => {
    const note = `> ${ANACONDA}\n> -- [@korybko2021]\n\n-- [@anon2021]\n`;
    assert.equal(attachedTo(note), '[@korybko2021]');
  });

  test('a blockquote of several paragraphs is one quotation without its attribution', () => {
    const note = '> Para one of the quote.\n>\n> Para two of the quote.\n>\n> -- [@korybko2021, ¶ 12]\n';
    const quotation = onlyQuotation(note);
    assert.equal(quotation.prose.text, 'Para one of the quote.\nPara two of the quote.');
    assert.equal(slice(note, quotation.span), 'Para one of the quote.\n>\n> Para two of the quote.');
    assert.equal(slice(note, quotation.citation ?? { start: 0, end: 0 }), '[@korybko2021, ¶ 12]');
  });

  test('blockquote with CRLF line endings', () => {
    const note = `> ${ANACONDA}\r\n> -- [@korybko2021, ¶ 6]\r\n`;
    const quotation = onlyQuotation(note);
    assert.equal(quotation.prose.text, ANACONDA);
    assert.equal(slice(note, quotation.span), ANACONDA);
    assert.equal(attachedTo(note), '[@korybko2021, ¶ 6]');
    assert.deepEqual(codes(checkNote(bundledCorpus(), note).diagnostics), []);
  });

  test('blockquote span after an emoji-bearing line', () => {
    const note = `👍🏽 Before.\n\n> 👍🏽 ${ANACONDA}\n> -- [@korybko2021]\n`;
    assert.equal(slice(note, onlyQuotation(note).span), `👍🏽 ${ANACONDA}`);
  });

  test('the attribution’s citation is still a citation of the note', () => {
    const note = `> ${ANACONDA}\n\n-- [@korybko2021, ¶ 6]\n`;
    assert.deepEqual(cited(note), ['[@korybko2021, ¶ 6]']);
  });

  test('inline quotation marks inside a blockquote make no separate quotation', () => {
    const note = '> He said "We will get around Kabul" there.\n> -- [@korybko2021]\n';
    assert.deepEqual(read(note).quotations.map((q) => q.kind), ['block']);
  });

  test('a GitHub alert is no quotation', () => {
    assert.deepEqual(read('> [!NOTE]\n> "We will get around Kabul" [@korybko2021]\n').quotations, []);
  });
});

describe('offsets through escapes and entities', () => {
  test('entities whose character reappears later on the line keep every span exact', () => {
    const note = 'He wrote &quot;entity quote&quot; and &rsquo;s, then "real words here" [@korybko2021].\n';
    assert.deepEqual(cited(note), ['[@korybko2021]']);
    assert.deepEqual(quoted(note), ['entity quote', 'real words here']);
  });

  test('a backslash escape before a quotation mark does not shift the spans after it', () => {
    const note = 'A \\*literal star\\* and "We will get around Kabul like an anaconda." [@korybko2021]\n';
    assert.deepEqual(quoted(note), ['We will get around Kabul like an anaconda.']);
    assert.deepEqual(cited(note), ['[@korybko2021]']);
  });
});

describe('characters the markdown parser replaces', () => {
  test('a NUL before a citation keeps every later offset exact', () => {
    const note = '\u0000-@anon2021 and "the Taliban captured it" [@gul2021]\n';
    assert.deepEqual(cited(note), ['@anon2021', '[@gul2021]']);
    assert.deepEqual(quoted(note), ['the Taliban captured it']);
  });
});

describe("note reading: keys as Pandoc reads them (the same cases run against Pandoc in test/pandoc-citations.test.ts)", () => {
  /** Each citation item's key and what its range covers in the note. */
  const items = (note: string): [string, string][] => read(note).citations.flatMap((c) => c.items.map((i): [string, string] => [i.key, slice(note, i.keySpan)]));

  test('a second key in an item\'s suffix is one more source of the group', () => {
    const note = 'See [@korybko2021, cf. @gul2021, p. 5] and [@anon2021 @suchkov2021].\n';
    assert.deepEqual(items(note), [
      ['korybko2021', '@korybko2021'],
      ['gul2021', '@gul2021'],
      ['anon2021', '@anon2021'],
      ['suchkov2021', '@suchkov2021'],
    ]);
    assert.deepEqual(cited(note), ['[@korybko2021, cf. @gul2021, p. 5]', '[@anon2021 @suchkov2021]']);
  });

  test('a key holding a URL in braces keeps its place, and the autolinker does not take it', () => {
    const note = 'First line.\n\nSee [@{https://example.com/bib?name=x&date=2000}, p. 33] and @{https://medium.com/@writer/post}.\n';
    assert.deepEqual(items(note), [
      ['https://example.com/bib?name=x&date=2000', '@{https://example.com/bib?name=x&date=2000}'],
      ['https://medium.com/@writer/post', '@{https://medium.com/@writer/post}'],
    ]);
  });

  test('a key ends where an escape or emphasis mark stands, as written', () => {
    assert.deepEqual(items('See @korybko2021\\_x and @gul2021*f* and _@anon2021_ here.\n'), [
      ['korybko2021', '@korybko2021'],
      ['gul2021', '@gul2021'],
      ['anon2021_', '@anon2021_'],
    ]);
  });

  test('an @ after a word or a period, or written as an entity, starts no citation', () => {
    assert.deepEqual(items('See e.g.@korybko2021 and x.@gul2021 and &#64;anon2021 and &commat;suchkov2021.\n'), []);
    assert.deepEqual(items('An ellipsis...@korybko2021 and a mark_@gul2021 do not stop one.\n'), [
      ['korybko2021', '@korybko2021'],
      ['gul2021', '@gul2021'],
    ]);
  });

  test('text after an HTML comment on its line is prose', () => {
    const note = '<!-- a remark --> then @korybko2021 says "We will get around Kabul".\n\n<!--\n@anon2021\n--> and [@gul2021].\n';
    assert.deepEqual(items(note), [
      ['korybko2021', '@korybko2021'],
      ['gul2021', '@gul2021'],
    ]);
    assert.equal(attachments(note)[0], '@korybko2021');
  });

  test('raw TeX holds no citation; text after it does', () => {
    assert.deepEqual(items('TeX \\emph{@korybko2021} and \\ref{@anon2021} then @gul2021, and \\\\emph{@suchkov2021}.\n'), [
      ['gul2021', '@gul2021'],
      ['suchkov2021', '@suchkov2021'],
    ]);
    assert.deepEqual(items('\\begin{quote}@korybko2021\\end{quote} and @gul2021\n'), [['gul2021', '@gul2021']]);
  });

  test('math and attributes hold no citation', () => {
    assert.deepEqual(items('Math $@korybko2021$ and [x]{#id data-x="@anon2021"} and @gul2021.\n'), [['gul2021', '@gul2021']]);
  });
});
