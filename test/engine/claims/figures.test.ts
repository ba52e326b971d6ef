import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { figureDistance, readFigures, supportsFigure } from '../../../server/src/engine/claims/figures.js';

describe('figures read in every form', () => {
  const same: [string, string][] = [
    ['85%', '85 percent'],
    ['85%', 'eighty-five per cent'],
    ['20,000', '20 000'],
    ['20,000', 'twenty thousand'],
    ['20,000', '20\u202f000'],
    ['15 August', 'August 15'],
    ['15 August', 'Aug. 15'],
    ['15 August 2021', 'August 15th, 2021'],
    ['$3.5 million', '3.5 million dollars'],
    ['$2bn', '2 billion dollars'],
    ['1.2 billion', 'one point two billion'.replace('one point two', '1.2')],
    ['two hundred and fifty', '250'],
    ['in 2021', 'on 15 August 2021'],
    ['the 1990s', 'in 1994'],
    ['10–15%', '10 to 15 per cent'],
  ];
  for (const [claim, source] of same) {
    test(`${claim} = ${source}`, () => {
      const claimed = readFigures(claim);
      const given = readFigures(source).flatMap((f) => (f.kind === 'date' && f.year !== undefined ? [f, { kind: 'year' as const, value: f.year, decade: false, start: f.start, end: f.end, text: '' }] : [f]));
      assert.ok(claimed.length > 0, `${claim} states a figure`);
      for (const figure of claimed) assert.ok(given.some((g) => supportsFigure(g, figure)), `${source} gives ${figure.text}`);
    });
  }

  test('different figures stay different', () => {
    const [claimed] = readFigures('65%');
    assert.ok(!readFigures('65 points').some((g) => supportsFigure(g, claimed)), 'a count is not a percentage');
    const [date] = readFigures('15 August 2021');
    assert.ok(!readFigures('15 August 2020').some((g) => supportsFigure(g, date)));
    assert.ok(!readFigures('15 July').some((g) => supportsFigure(g, date)));
  });

  test('a count joined by a hyphen to a word is a measure of that word', () => {
    const [bit] = readFigures('a 7-bit character');
    const [day] = readFigures('a three-day strike');
    assert.ok(readFigures('7 bits').some((g) => supportsFigure(g, bit)), 'a measure is given in the plural');
    assert.ok(readFigures('the strike lasted 3 days').some((g) => supportsFigure(g, day)));
    assert.ok(readFigures('a 3-day strike').some((g) => supportsFigure(g, readFigures('the strike lasted three full days')[0])), 'the claim’s count of the measured word');
    assert.ok(!readFigures('a 7-bit character').some((g) => supportsFigure(g, readFigures('7 triggers')[0])), 'a measure is no count of another thing');
    assert.equal(figureDistance(readFigures('a 7-bit character')[0], readFigures('14 triggers')[0]), Number.POSITIVE_INFINITY);
    assert.equal(figureDistance(readFigures('7 triggers')[0], readFigures('a 14-bit key')[0]), Number.POSITIVE_INFINITY);
    assert.equal(figureDistance(readFigures('a 7-bit character')[0], readFigures('a 14-bit key')[0]), 0.5);
    assert.ok(readFigures('a 5-million-dollar grant').some((g) => supportsFigure(g, readFigures('$5 million')[0])), 'a sum is left to its kind');
  });

  test('what is not a figure of a claim', () => {
    for (const text of ['COVID-19', 'an Su-25', 'see ¶ 6 and p. 12', 'at 10:30', 'the 3rd', 'one of them', 'no one', 'two points follow', 'the second point', 'in this note, three sources', 'they may march', 'half the country', 'dozens of fighters']) {
      assert.deepEqual(readFigures(text), [], text);
    }
  });
});
