import { decodeEntity, ENTITY } from './tokens.js';

/** Raw characters a markdown parser may drop from a text node's value. */
const SKIPPABLE = /[\s>]/u;

/**
 * A piece of prose extracted from a document (markdown syntax removed) that
 * remembers, for every UTF-16 unit, where it stood in the document. Quotations
 * and citations are found in the prose; their ranges are reported in the
 * document.
 */
export class MappedText {
  constructor(
    readonly text: string,
    /** Document offset of each unit. */
    readonly starts: Int32Array,
    /** Document offset just past each unit. */
    readonly ends: Int32Array,
    /** Added to every document offset: the same prose read from a later place in a larger document. */
    readonly delta = 0,
  ) {}

  /** The same prose, its document offsets moved by `delta`. */
  shifted(delta: number): MappedText {
    return delta === 0 ? this : new MappedText(this.text, this.starts, this.ends, this.delta + delta);
  }

  static empty(): MappedText {
    return new MappedText('', new Int32Array(0), new Int32Array(0));
  }

  get length(): number {
    return this.text.length;
  }

  /** Document offset where the prose position `index` begins (or the previous unit ends). */
  documentStart(index: number): number {
    if (index < this.starts.length) return this.starts[index] + this.delta;
    return (this.ends.length > 0 ? this.ends[this.ends.length - 1] : 0) + this.delta;
  }

  /** Document offset just past the prose unit before `index`. */
  documentEnd(index: number): number {
    if (index <= 0) return (this.starts.length > 0 ? this.starts[0] : 0) + this.delta;
    return this.ends[Math.min(index, this.ends.length) - 1] + this.delta;
  }

  slice(start: number, end: number): MappedText {
    return new MappedText(this.text.slice(start, end), this.starts.slice(start, end), this.ends.slice(start, end), this.delta);
  }

  /** Replaces a span of the prose with a same-length mask, keeping the map. */
  masked(start: number, end: number, fill: string): MappedText {
    const text = this.text.slice(0, start) + fill.repeat(end - start) + this.text.slice(end);
    return new MappedText(text, this.starts, this.ends, this.delta);
  }

  static concat(parts: readonly MappedText[], separator: string): MappedText {
    let text = '';
    const starts: number[] = [];
    const ends: number[] = [];
    parts.forEach((part, i) => {
      if (i > 0 && separator) {
        const at = ends.length > 0 ? ends[ends.length - 1] : part.documentStart(0);
        for (let k = 0; k < separator.length; k++) {
          starts.push(at);
          ends.push(at);
        }
        text += separator;
      }
      text += part.text;
      // A loop, not push(...spread): a giant line would overflow the call stack.
      for (let k = 0; k < part.starts.length; k++) {
        starts.push(part.starts[k] + part.delta);
        ends.push(part.ends[k] + part.delta);
      }
    });
    return new MappedText(text, Int32Array.from(starts), Int32Array.from(ends));
  }
}

/** Builds a MappedText incrementally. */
export class MappedTextBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /**
   * Appends `value` (a markdown text node's decoded text), whose characters
   * came from `raw` at document offset `rawStart`. Raw text also holds what
   * the parser removed — backslash escapes, entities, line-start markers (`>`,
   * indentation), trailing spaces, `\r` — so each value character is matched
   * to its own raw span, and syntax between them is skipped.
   */
  appendAligned(value: string, raw: string, rawStart: number): void {
    let j = 0;
    for (let i = 0; i < value.length; i++) {
      const ch = value[i];
      for (;;) {
        if (j >= raw.length) {
          this.push(ch, rawStart + raw.length, rawStart + raw.length);
          break;
        }
        if (raw[j] === ch) {
          this.push(ch, rawStart + j, rawStart + j + 1);
          j++;
          break;
        }
        if (raw[j] === '\\' && raw[j + 1] === ch) {
          this.push(ch, rawStart + j + 1, rawStart + j + 2);
          j += 2;
          break;
        }
        const entity = raw[j] === '&' ? ENTITY.exec(raw.slice(j, j + 40)) : null;
        const decoded = entity ? decodeEntity(entity[1]) : undefined;
        if (entity && decoded !== undefined && value.startsWith(decoded, i)) {
          for (let k = 0; k < decoded.length; k++) this.push(value[i + k], rawStart + j, rawStart + j + entity[0].length);
          i += decoded.length - 1;
          j += entity[0].length;
          break;
        }
        if (!SKIPPABLE.test(raw[j])) {
          // The parser substituted this character (a NUL becomes U+FFFD): it stands where the raw one stood.
          this.push(ch, rawStart + j, rawStart + j + 1);
          j++;
          break;
        }
        j++;
      }
    }
  }

  /** Appends a stand-in character for something that is not prose (code, HTML). */
  appendPlaceholder(ch: string, start: number, end: number): void {
    this.push(ch, start, end);
  }

  private push(ch: string, start: number, end: number): void {
    this.text += ch;
    this.starts.push(start);
    this.ends.push(end);
  }

  build(): MappedText {
    return new MappedText(this.text, Int32Array.from(this.starts), Int32Array.from(this.ends));
  }
}
