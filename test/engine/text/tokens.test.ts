import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DASH, ELLIPSIS, QUOTE_MARK, TokenKind, tokenize, type Token } from '../../../server/src/engine/text/tokens.js';
import { realTexts } from '../../real-texts.js';

/** The unit of comparison: the token texts. */
function texts(text: string, decodeEntities = false): string[] {
  return tokenize(text, { decodeEntities }).map((t) => t.text);
}

function assertSame(a: string, b: string, decodeEntities = false): void {
  assert.deepEqual(texts(a, decodeEntities), texts(b, decodeEntities), `${JSON.stringify(a)} should tokenise like ${JSON.stringify(b)}`);
}

function assertDifferent(a: string, b: string): void {
  assert.notDeepEqual(texts(a), texts(b), `${JSON.stringify(a)} should not tokenise like ${JSON.stringify(b)}`);
}

/** Each token's slice of the original string. */
function slices(text: string, decodeEntities = false): string[] {
  return tokenize(text, { decodeEntities }).map((t: Token) => text.slice(t.start, t.end));
}

describe('tokenize: typographic normalisations', () => {
  test('NFKC: ligatures become their letters', () => {
    assert.deepEqual(texts('ﬁnal ﬂow'), ['final', 'flow']);
    assertSame('ﬁnal ﬂow', 'final flow');
  });

  test('NFKC: full-width letters and digits are their ASCII forms', () => {
    assertSame('Ｋａｂｕｌ ７５', 'Kabul 75');
  });

  test('NFKC: precomposed and decomposed accents are the same word', () => {
    assertSame('caf\u00e9', 'cafe\u0301');
    assert.deepEqual(texts('Żochowski'), texts('Z\u0307ochowski'));
  });

  test('curly and straight double quotes are one mark', () => {
    assertSame('“anaconda”', '"anaconda"');
    assert.deepEqual(texts('“anaconda”'), [QUOTE_MARK, 'anaconda', QUOTE_MARK]);
  });

  test("curly and straight apostrophes are one mark, inside the word", () => {
    assertSame('Taliban’s', "Taliban's");
    assert.deepEqual(texts('hasn’t'), [`hasn${QUOTE_MARK}t`]);
  });

  test("single and double quote marks are the same mark", () => {
    assertSame("'reasonable'", '"reasonable"');
    assertSame('‘reasonable’', '“reasonable”');
    assertSame('‘reasonable’', '"reasonable"');
  });

  test('guillemets and low quotes are quote marks too', () => {
    assertSame('«x» „y“', '"x" "y"');
  });

  test('en dash, em dash, hyphen, minus and -- are one dash', () => {
    const dashed = ['a – b', 'a — b', 'a ‐ b', 'a − b', 'a -- b', 'a - b'];
    for (const text of dashed) assert.deepEqual(texts(text), ['a', DASH, 'b'], text);
  });

  test('a dash between digits is a dash token (ranges compare equal)', () => {
    assertSame('2001–2021', '2001-2021');
    assertSame('2001–2021', '2001--2021');
  });

  test('… equals ... and . . .', () => {
    assert.deepEqual(texts('wait…'), ['wait', ELLIPSIS]);
    assertSame('wait… then', 'wait... then');
    assertSame('wait… then', 'wait. . . then');
    assertSame('wait . . . then', 'wait … then');
  });

  test('a spaced ellipsis may have any white space between its dots', () => {
    // White space is one separator, so a line break or a double space between the dots cannot matter.
    assertSame('wait .  .  . then', 'wait … then');
    assertSame('wait .\r\n.\r\n. then', 'wait … then');
    assertSame('wait .\n.\n. then', 'wait … then');
  });

  test('two dots are not an ellipsis', () => {
    assert.deepEqual(texts('a..'), ['a', '.', '.']);
  });

  test('all white space is one separator: spaces, tabs, no-break spaces, line breaks', () => {
    const expected = ['at', 'least', 'half', 'the', 'size'];
    for (const text of ['at least half the size', 'at  least\thalf\u00a0the\nsize', 'at\r\nleast \u2003half\u202fthe\r size', ' at least half the size \n']) {
      assert.deepEqual(texts(text), expected, JSON.stringify(text));
    }
  });

  test('markdown emphasis markers * and _ are ignored', () => {
    assertSame('*get around* Kabul', 'get around Kabul');
    assertSame('**get** _around_ __Kabul__', 'get around Kabul');
    assertSame('an ana*con*da', 'an anaconda');
  });

  test('HTML entities are decoded when decodeEntities is on', () => {
    assertSame('Tom &amp; Jerry', 'Tom & Jerry', true);
    assertSame('Taliban&#8217;s', 'Taliban’s', true);
    assertSame('Taliban&#x2019;s', "Taliban's", true);
    assertSame('&ldquo;x&rdquo;', '"x"', true);
    assertSame('a&nbsp;b', 'a b', true);
    assertSame('wait&hellip;', 'wait...', true);
  });

  test('HTML entities are left alone when decodeEntities is off (the default)', () => {
    assertDifferent('Tom &amp; Jerry', 'Tom & Jerry');
    assert.deepEqual(texts('&amp;'), ['&', 'amp', ';']);
  });

  test('unknown and malformed entities stay as written', () => {
    assert.deepEqual(texts('&bogus; &#0;', true), ['&', 'bogus', ';', '&', '#', '0', ';']);
  });
});

describe('tokenize: never normalised', () => {
  test('spelling: kilometres is not kilometers', () => {
    assertDifferent('50 kilometres away', '50 kilometers away');
  });

  test('numbers: 75% is not 85%', () => {
    assertDifferent('up to 75% of the country', 'up to 85% of the country');
    assert.deepEqual(texts('85%'), ['85', '%']);
  });

  test('numbers keep their separators: 1,000 and 3.5 are single words, unlike 1000', () => {
    assert.deepEqual(texts('1,000 3.5'), ['1,000', '3.5']);
    assertDifferent('1,000', '1000');
  });

  test('letter case: The is not the', () => {
    assertDifferent('The Taliban', 'the Taliban');
    assertDifferent('kabul', 'Kabul');
  });

  test('punctuation is kept: a comma is not a full stop', () => {
    assertDifferent('inevitable, perhaps', 'inevitable. perhaps');
  });

  test('an apostrophe is not white space', () => {
    assertDifferent("it's", 'it s');
  });
});

describe('tokenize: kinds and offsets', () => {
  test('words and punctuation are told apart', () => {
    const tokens = tokenize('Kabul, “anaconda”…');
    assert.deepEqual(
      tokens.map((t) => t.kind),
      [TokenKind.Word, TokenKind.Punctuation, TokenKind.Punctuation, TokenKind.Word, TokenKind.Punctuation, TokenKind.Punctuation],
    );
  });

  test('offsets point into the original string', () => {
    assert.deepEqual(slices('We will get around Kabul.'), ['We', 'will', 'get', 'around', 'Kabul', '.']);
  });

  test('offsets survive an emoji with a skin-tone modifier and a decomposed é', () => {
    const text = '👍🏽 cafe\u0301 au lait';
    const tokens = tokenize(text);
    const cafe = tokens.find((t) => t.text === 'caf\u00e9');
    assert.ok(cafe, 'the decomposed café is one (composed) word');
    assert.equal(cafe.start, 5);
    assert.equal(cafe.end, 10);
    assert.equal(text.slice(cafe.start, cafe.end), 'cafe\u0301');
    assert.deepEqual(slices(text).slice(-3), ['cafe\u0301', 'au', 'lait']);
  });

  test('a combining mark before a word does not shift its offsets', () => {
    const text = '\u0301\u0301 Kabul';
    const kabul = tokenize(text).find((t) => t.text === 'Kabul');
    assert.ok(kabul);
    assert.equal(text.slice(kabul.start, kabul.end), 'Kabul');
  });

  test('offsets of a ligature word cover the ligature', () => {
    const text = 'the ﬁnal word';
    assert.deepEqual(slices(text), ['the', 'ﬁnal', 'word']);
  });

  test('offsets of emphasised words exclude the markers', () => {
    assert.deepEqual(slices('**get** _around_'), ['get', 'around']);
  });

  test('offsets of dashes and ellipses cover what was written', () => {
    assert.deepEqual(slices('a -- b . . . c… d—e'), ['a', '--', 'b', '. . .', 'c', '…', 'd', '—', 'e']);
  });

  test('offsets of a decoded entity cover the whole entity', () => {
    const text = 'Tom &amp; Jerry&#8217;s';
    assert.deepEqual(slices(text, true), ['Tom', '&amp;', 'Jerry&#8217;s']);
  });

  test('offsets with CRLF line breaks', () => {
    assert.deepEqual(slices('one\r\ntwo\r\n\r\nthree'), ['one', 'two', 'three']);
  });
});

describe('tokenize: other scripts', () => {
  test('Cyrillic, Greek and Arabic words are runs of letters and marks', () => {
    assert.deepEqual(texts('Городской совет, «набережную»'), ['Городской', 'совет', ',', QUOTE_MARK, 'набережную', QUOTE_MARK]);
    assert.deepEqual(texts('Ὁ χρόνος δείκνυσι πάντα·'), ['Ὁ', 'χρόνος', 'δείκνυσι', 'πάντα', '·']);
    assert.deepEqual(texts('قَالَ الرَّجُلُ: «نَعَمْ»'), ['قَالَ', 'الرَّجُلُ', ':', QUOTE_MARK, 'نَعَمْ', QUOTE_MARK]);
  });

  test('each Chinese or Japanese character is a word, with offsets in the original', () => {
    assert.deepEqual(texts('修复旧桥。'), ['修', '复', '旧', '桥', '。']);
    assert.deepEqual(texts('東京へ行きました'), ['東', '京', 'へ', '行', 'き', 'ま', 'し', 'た']);
    assert.deepEqual(slices('A市政府B'), ['A', '市', '政', '府', 'B']);
    assert.deepEqual(texts('𠀋𠀍'), ['𠀋', '𠀍'], 'characters outside the Basic Multilingual Plane are one word each');
  });

  test('corner brackets and guillemets are quotation marks like any other', () => {
    assertSame('「好」『好』«好»‹好›„好“', '"好""好""好""好""好"');
  });
});

/**
 * The character normalisations as the tokeniser promises them, written the
 * plain way: each cluster (a character and its marks) NFKC-normalised, every
 * quote mark as `"`, every dash as `-`, white space as a space, emphasis
 * markers and invisible characters dropped.
 */
const REFERENCE_QUOTES = new Set([..."\"'`´‘’‚‛“”„‟«»‹›′″ʼ「」『』〝〞〟"]);
const REFERENCE_DASHES = new Set([...'-‐‑‒–—―−⸺⸻']);
const REFERENCE_DROPPED = new Set([...'*_\u200b\u200c\u200d\u2060\ufeff\u00ad']);
function referenceNormalised(text: string): string {
  let out = '';
  for (const [cluster] of text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
    for (const ch of cluster.normalize('NFKC')) {
      if (REFERENCE_QUOTES.has(ch)) out += '"';
      else if (REFERENCE_DASHES.has(ch)) out += '-';
      else if (!REFERENCE_DROPPED.has(ch)) out += /\s/u.test(ch) ? ' ' : ch;
    }
  }
  return out;
}

describe('tokenize: real text against the normalisations written plainly', () => {
  const lines = realTexts().flatMap(({ path, text }) => text.split(/\r\n|\r|\n/u).map((line, i) => ({ where: `${path}:${i + 1}`, line })));
  const beyondAscii = lines.filter(({ line }) => /[^\t-\x7f]/u.test(line));

  test('the texts hold lines beyond ASCII (the normalising path is exercised)', () => {
    assert.ok(beyondAscii.length >= 50, `${beyondAscii.length} lines beyond ASCII`);
  });

  test('every line tokenises as its normalised form does', () => {
    for (const { where, line } of lines) assert.deepEqual(texts(line), texts(referenceNormalised(line)), where);
  });

  test("every word's text is its original characters normalised, and its offsets cover them", () => {
    let words = 0;
    for (const { where, line } of beyondAscii) {
      for (const token of tokenize(line)) {
        if (token.kind !== TokenKind.Word) continue;
        assert.equal(referenceNormalised(line.slice(token.start, token.end)), token.text, `${where}: ${JSON.stringify(line.slice(token.start, token.end))}`);
        words++;
      }
    }
    assert.ok(words > 500, `${words} words checked`);
  });

  test('each character of the Basic Multilingual Plane beyond ASCII, alone, after a letter and before a mark, as its normalised form', () => {
    for (let code = 0x80; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      for (const text of [ch, `a${ch}b`, `${ch}\u0301x`]) assert.deepEqual(texts(text), texts(referenceNormalised(text)), `U+${code.toString(16)} in ${JSON.stringify(text)}`);
    }
  });
});
