import { isAscii, isUtf8 } from 'node:buffer';
import { LineIndex, type Range } from './lines.js';

/** Why bytes are not text, and where: the first offending byte, as a one-character range. */
export interface NotText {
  reason: string;
  range?: Range;
}

/** The length of the valid UTF-8 sequence at `at`, or 0 if the bytes there are not one. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first < 0x80) return 1;
  // Lead byte → length and the allowed range of the second byte (no overlongs, no surrogates, nothing past U+10FFFF).
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (first >= 0xc2 && first <= 0xdf) length = 2;
  else if (first >= 0xe0 && first <= 0xef) {
    length = 3;
    if (first === 0xe0) low = 0xa0;
    if (first === 0xed) high = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    length = 4;
    if (first === 0xf0) low = 0x90;
    if (first === 0xf4) high = 0x8f;
  } else return 0;
  if (at + length > bytes.length) return 0;
  if (bytes[at + 1] < low || bytes[at + 1] > high) return 0;
  for (let i = 2; i < length; i++) if (bytes[at + i] < 0x80 || bytes[at + i] > 0xbf) return 0;
  return length;
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return -1;
}

/** The range of the character starting at byte `at`, in the positions of the (valid) text before it. */
function rangeAtByte(bytes: Uint8Array, at: number): Range {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, at).toString('utf8');
  const start = new LineIndex(before).position(before.length);
  return { start, end: { line: start.line, character: start.character + 1 } };
}

const hex = (byte: number): string => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Decodes a file's bytes as UTF-8 text, or says why they are not text and
 * where (line and column of the first bad byte), so the writer can find it.
 */
export function decodeText(bytes: Uint8Array): { text: string } | NotText {
  // Where a NUL byte stands in a binary file means nothing to a writer: name the file only.
  if (bytes.includes(0)) return { reason: 'Binary file (it contains NUL bytes)' };
  // Plain ASCII (most prose files) is its own text, byte for byte: read as Latin-1 it skips the UTF-8 decoder.
  if (isAscii(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') };
  if (!isUtf8(bytes)) {
    const bad = firstInvalidByte(bytes);
    const range = rangeAtByte(bytes, bad);
    return { reason: `File is not valid UTF-8 (byte ${hex(bytes[bad])} at line ${range.start.line + 1}, column ${range.start.character + 1})`, range };
  }
  // TextDecoder drops a leading byte-order mark, as editors do.
  return { text: new TextDecoder('utf-8').decode(bytes) };
}
