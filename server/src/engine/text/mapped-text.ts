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
    readonly starts: readonly number[],
    /** Document offset just past each unit. */
    readonly ends: readonly number[],
  ) {}

  static empty(): MappedText {
    return new MappedText('', [], []);
  }

  get length(): number {
    return this.text.length;
  }

  /** Document offset where the prose position `index` begins (or the previous unit ends). */
  documentStart(index: number): number {
    if (index < this.starts.length) return this.starts[index];
    return this.ends.length > 0 ? this.ends[this.ends.length - 1] : 0;
  }

  /** Document offset just past the prose unit before `index`. */
  documentEnd(index: number): number {
    if (index <= 0) return this.starts.length > 0 ? this.starts[0] : 0;
    return this.ends[Math.min(index, this.ends.length) - 1];
  }

  slice(start: number, end: number): MappedText {
    return new MappedText(this.text.slice(start, end), this.starts.slice(start, end), this.ends.slice(start, end));
  }

  /** Replaces a span of the prose with a same-length mask, keeping the map. */
  masked(start: number, end: number, fill: string): MappedText {
    const text = this.text.slice(0, start) + fill.repeat(end - start) + this.text.slice(end);
    return new MappedText(text, this.starts, this.ends);
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
      starts.push(...part.starts);
      ends.push(...part.ends);
    });
    return new MappedText(text, starts, ends);
  }
}

/** Builds a MappedText incrementally. */
export class MappedTextBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Appends `value`, whose characters came from `raw` at document offset `rawStart`. */
  appendAligned(value: string, raw: string, rawStart: number): void {
    let j = 0;
    for (let i = 0; i < value.length; i++) {
      // Escapes, entities, line prefixes (`> `, indentation) stand in raw but not in value: skip them.
      let k = j;
      while (k < raw.length && raw[k] !== value[i] && k - j < 64) k++;
      if (k < raw.length && raw[k] === value[i]) {
        this.push(value[i], rawStart + k, rawStart + k + 1);
        j = k + 1;
      } else {
        const at = rawStart + Math.min(j, raw.length);
        this.push(value[i], at, at);
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
    return new MappedText(this.text, this.starts, this.ends);
  }
}
