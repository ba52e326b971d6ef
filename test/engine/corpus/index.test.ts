import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorpusIndex, spansOfText, Vocabulary } from '../../../server/src/engine/corpus/index.js';
import { plainTextLayout } from '../../../server/src/engine/corpus/paragraphs.js';
import { TokenKind, tokenize } from '../../../server/src/engine/text/tokens.js';
import { realTexts } from '../../real-texts.js';

/** Every token of a plain-text source, paragraph by paragraph, as `tokenize` gives them (entities decoded). */
function tokensOf(text: string): { text: string; kind: TokenKind }[] {
  const { starts, ends } = plainTextLayout(text);
  return Array.from(starts, (start, i) => tokenize(text.slice(start, ends[i]), { decodeEntities: true })).flat();
}

describe('CorpusIndex over real text: ids, lookups and postings as tokenize and a Map say', () => {
  const sources = realTexts();
  const index = new CorpusIndex();
  const indexed = sources.map(({ text }) => index.addSource(text, spansOfText(text, false), () => [], false));
  index.seal();
  const vocabulary = index.vocabulary;
  const expected = sources.map(({ text }) => tokensOf(text));

  test('each token id stands for the token tokenize gives, one id a text', () => {
    const idOf = new Map<string, number>();
    indexed.forEach((source, k) => {
      assert.equal(source.ids.length, expected[k].length, sources[k].path);
      expected[k].forEach((token, t) => {
        const id = source.ids[t];
        assert.equal(vocabulary.text(id), token.text, `${sources[k].path}, token ${t}`);
        assert.equal(vocabulary.kinds[id], token.kind, token.text);
        const known = idOf.get(token.text);
        if (known === undefined) idOf.set(token.text, id);
        else assert.equal(id, known, token.text);
      });
    });
    assert.ok(idOf.size > 3000, `${idOf.size} distinct tokens`);
    for (const [text, id] of idOf) {
      assert.equal(vocabulary.lookup(text), id, text);
      assert.equal(vocabulary.folded[id], vocabulary.lookup(text.toLowerCase()), `${text} lower-cased`);
    }
    assert.equal(vocabulary.lookup('zzqx-not-in-any-text'), -1);
  });

  test("each lower-cased word's postings are the positions where it occurs, ascending", () => {
    const positions = new Map<number, number[]>();
    indexed.forEach((source, k) =>
      expected[k].forEach((token, t) => {
        if (token.kind !== TokenKind.Word) return;
        const folded = vocabulary.lookup(token.text.toLowerCase());
        positions.set(folded, [...(positions.get(folded) ?? []), source.base + t]);
      }),
    );
    for (const [folded, list] of positions) assert.deepEqual(Array.from(index.positions(folded)), list, vocabulary.text(folded));
    const words = [...positions.values()].reduce((n, list) => n + list.length, 0);
    assert.equal(index.postings.data.length, words);
  });
});

describe('Vocabulary', () => {
  /** `2 ** blocks` distinct texts with one hash: "Aa" and "BB" hash alike (31 × 65 + 97 = 31 × 66 + 66). */
  function colliding(blocks: number): string[] {
    return Array.from({ length: 1 << blocks }, (_, n) => Array.from({ length: blocks }, (_, b) => ((n >> b) & 1 ? 'BB' : 'Aa')).join(''));
  }

  test('texts whose hashes are equal get ids of their own, found again, through the table growing', () => {
    const vocabulary = new Vocabulary();
    const [missing, ...same] = colliding(10);
    const many = Array.from({ length: 100_000 }, (_, i) => `w${i.toString(36)}`);
    const ids = [...same, ...many].map((text) => vocabulary.intern(text, TokenKind.Word));
    assert.equal(new Set(ids).size, same.length + many.length);
    [...same, ...many].forEach((text, i) => {
      assert.equal(vocabulary.lookup(text), ids[i], text);
      assert.equal(vocabulary.text(ids[i]), text);
    });
    assert.equal(vocabulary.lookup(missing), -1, 'a colliding text never added');
  });

  test('a range of a longer text is found as the same text, and ids are numbered in order of first sight', () => {
    const vocabulary = new Vocabulary();
    const first = vocabulary.intern('Verbatim', TokenKind.Word);
    const source = 'quoted Verbatim, verbatim';
    assert.equal(vocabulary.internRange(source, 7, 15, hashOfText('Verbatim'), TokenKind.Word), first);
    const lower = vocabulary.lookup('verbatim');
    assert.equal(lower, first + 1, 'the lower-cased form is added right after');
    assert.equal(vocabulary.folded[first], lower);
    assert.equal(vocabulary.internRange(source, 17, 25, hashOfText('verbatim'), TokenKind.Word), lower);
  });
});

/** The scanner's hash, computed here from its definition (31-based, 32-bit). */
function hashOfText(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}
