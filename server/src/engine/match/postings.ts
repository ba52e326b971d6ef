/**
 * Walking and intersecting ascending arrays of positions by galloping: from
 * where the last step stopped, probe 1, 2, 4… entries ahead, then search the
 * last stride. A step that moves k entries costs about 2·log2(k) reads, so a
 * walk over a long array (a large source's paragraph starts, a common word's
 * postings) costs with the steps taken, not with the array's length.
 */

/**
 * The largest index `i ≥ from` with `valueAt(i) ≤ value`, for values ascending
 * (not strictly) over `[0, length)`; `from` itself when the next value is
 * already above `value`. The caller knows `valueAt(from) ≤ value` (or does not care).
 */
export function gallopAtOrBelow(valueAt: (i: number) => number, length: number, from: number, value: number): number {
  if (from + 1 >= length || valueAt(from + 1) > value) return from;
  // Invariant: valueAt(low) ≤ value; the answer is in [low, high).
  let low = from + 1;
  let stride = 1;
  let high = low + stride;
  while (high < length && valueAt(high) <= value) {
    low = high;
    stride *= 2;
    high = low + stride;
  }
  if (high > length) high = length;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (valueAt(mid) <= value) low = mid;
    else high = mid;
  }
  return low;
}

/** The first index `i ≥ from` with `array[i] ≥ value` (`array.length` when none), for `array` ascending. */
export function gallopAtOrAbove(array: Int32Array, from: number, value: number): number {
  if (from >= array.length || array[from] >= value) return from;
  // Invariant: array[low] < value; the answer is in (low, high].
  let low = from;
  let stride = 1;
  let high = low + stride;
  while (high < array.length && array[high] < value) {
    low = high;
    stride *= 2;
    high = low + stride;
  }
  if (high > array.length) high = array.length;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (array[mid] < value) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * The positions `p` of ascending `positions` for which `p + shift` is in
 * ascending `other`, in their order: where a word stands when another stands
 * `shift` tokens from it. Gallops through the longer array, so a short list
 * against a long one costs with the short one.
 */
export function keepShifted(positions: Int32Array, other: Int32Array, shift: number): Int32Array {
  const kept = new Int32Array(Math.min(positions.length, other.length));
  let n = 0;
  let j = 0;
  for (let i = 0; i < positions.length && j < other.length; i++) {
    const wanted = positions[i] + shift;
    j = gallopAtOrAbove(other, j, wanted);
    if (j < other.length && other[j] === wanted) kept[n++] = positions[i];
  }
  return kept.subarray(0, n);
}
