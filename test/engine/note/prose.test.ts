import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFragment, PLACEHOLDER, proseOf } from '../../../server/src/engine/note/prose.js';

/** The prose of a one-paragraph document, and the document's text behind each stretch of it that `pick` names. */
function prose(document: string, options: Parameters<typeof proseOf>[2] = {}) {
  const block = parseFragment(document, 0, document.length);
  assert.ok(block, 'a paragraph');
  const text = proseOf(block, document, options);
  return {
    text: text.text,
    /** The document's text behind the prose's first `words`. */
    behind(words: string): string {
      const at = text.text.indexOf(words);
      assert.ok(at >= 0, `${words} in ${text.text}`);
      return document.slice(text.documentStart(at), text.documentEnd(at + words.length));
    },
  };
}

describe('proseOf', () => {
  test('emphasis markers and link destinations are dropped; offsets still point into the document', () => {
    const document = 'Moscow has *limited* confidence in [them](https://example.org "a title").';
    const read = prose(document);
    assert.equal(read.text, 'Moscow has limited confidence in them.');
    assert.equal(read.behind('limited confidence'), 'limited* confidence');
    assert.equal(read.behind('them'), 'them');
  });

  test('a backslash escape and an entity are read as their character, mapped to what was typed', () => {
    const document = 'A \\[bracket\\] and &ldquo;marks&rdquo; here.';
    const read = prose(document);
    assert.equal(read.text, 'A [bracket] and “marks” here.');
    assert.equal(read.behind('“'), '&ldquo;');
  });

  test('a code span, inline HTML and an image are one placeholder each, so nothing inside them is read', () => {
    const read = prose('See `"a quotation" [@key]` and <span title="@x">this</span> and ![alt @key](a.png).');
    assert.equal(read.text, `See ${PLACEHOLDER} and ${PLACEHOLDER}this${PLACEHOLDER} and ${PLACEHOLDER}.`);
  });

  test('in a source a code span is text; in a note an image’s alt text is prose, set apart by placeholders', () => {
    assert.equal(prose('Run `check` first.', { codeAsText: true }).text, 'Run check first.');
    assert.equal(prose('A ![figure of @key](a.png) here.', { altText: true }).text, `A ${PLACEHOLDER}figure of @key${PLACEHOLDER} here.`);
  });
});

describe('parseFragment', () => {
  test('the first paragraph or heading between two offsets, positioned in the whole document', () => {
    const document = 'Before.\n\n# A heading\n\nAfter.';
    const start = document.indexOf('#');
    const heading = parseFragment(document, start, document.length);
    assert.equal(heading?.type, 'heading');
    assert.equal(heading?.position?.start.offset, start);
    assert.equal(parseFragment(document, 0, 0), undefined, 'nothing, no block');
  });
});
