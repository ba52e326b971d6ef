import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gallopAtOrAbove, gallopAtOrBelow, keepShifted } from '../../../server/src/engine/match/postings.js';

/** Ascending arrays with runs of equal values (empty paragraphs share a first token), from a fixed seed. */
function ascending(length: number, seed: number): Int32Array {
  const out = new Int32Array(length);
  let value = seed % 3;
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    value += state % 4 === 0 ? 0 : (state >> 8) % 7;
    out[i] = value;
  }
  return out;
}

describe('gallopAtOrBelow', () => {
  test('finds what a step-by-step walk forward finds, from every start, for every value', () => {
    for (const length of [1, 2, 3, 17, 200]) {
      const array = ascending(length, length * 7 + 1);
      for (let from = 0; from < length; from++) {
        for (let value = array[from]; value <= array[length - 1] + 2; value++) {
          let walked = from;
          while (walked + 1 < length && array[walked + 1] <= value) walked++;
          assert.equal(gallopAtOrBelow((i) => array[i], length, from, value), walked, `length ${length}, from ${from}, value ${value}`);
        }
      }
    }
  });

  test('stays put when the next value is already above', () => {
    assert.equal(gallopAtOrBelow((i) => [0, 5, 9][i], 3, 0, 4), 0);
    assert.equal(gallopAtOrBelow((i) => [0, 5, 9][i], 3, 2, 100), 2);
  });
});

describe('gallopAtOrAbove', () => {
  test('finds the first entry at or above a value, as a scan does', () => {
    const array = ascending(300, 11);
    for (let from = 0; from <= array.length; from += 7) {
      for (let value = -1; value <= array[array.length - 1] + 2; value += 3) {
        let scanned = from;
        while (scanned < array.length && array[scanned] < value) scanned++;
        assert.equal(gallopAtOrAbove(array, from, value), scanned, `from ${from}, value ${value}`);
      }
    }
  });
});

describe('keepShifted', () => {
  test('keeps the positions whose shifted place the other list holds, in order', () => {
    const anchor = Int32Array.from([3, 10, 15, 40, 41, 90]);
    const next = Int32Array.from([4, 11, 12, 42, 91, 500]);
    assert.deepEqual([...keepShifted(anchor, next, 1)], [3, 10, 41, 90]);
    assert.deepEqual([...keepShifted(anchor, next, -1)], []);
    assert.deepEqual([...keepShifted(next, anchor, -1)], [4, 11, 42, 91]);
  });

  test('agrees with a plain filter on long lists of unequal length', () => {
    const long = Int32Array.from(new Set(ascending(5000, 5)));
    const short = Int32Array.from(new Set(ascending(60, 9))).map((p) => p * 13);
    for (const shift of [-7, 0, 1, 4]) {
      const expected = [...short].filter((p) => long.includes(p + shift));
      assert.deepEqual([...keepShifted(short, long, shift)], expected, `shift ${shift}`);
      assert.deepEqual([...keepShifted(long, short, shift)], [...long].filter((p) => short.includes(p + shift)), `shift ${shift}, long first`);
    }
  });

  test('an empty list keeps nothing', () => {
    assert.equal(keepShifted(new Int32Array(0), Int32Array.from([1, 2]), 0).length, 0);
    assert.equal(keepShifted(Int32Array.from([1, 2]), new Int32Array(0), 0).length, 0);
  });
});
