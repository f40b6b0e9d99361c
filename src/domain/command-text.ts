// How every command reads the text typed after its name, so that `ｍｏｎｔｈ`, `ＢＡＬＡＮＣＥ` and
// `２０２４／３` mean the same in every command: the text is split at white space (the ideographic
// space U+3000 included) and each word is read in Unicode NFKC for the grammar (keywords, dates,
// numbers), keywords also in lower case. Free text (a title, a search, a rotation's display name)
// is taken from the original, so it keeps the characters the person typed.
//
// The text is assumed already cleaned of control characters where it entered (src/core/input.ts).

export interface Word {
  /** The word as typed. */
  raw: string;
  /** NFKC: full-width letters, digits and signs read as their half-width forms. */
  text: string;
  /** NFKC and lower case: how a keyword (a subcommand, `by`, `help`) is compared. */
  keyword: string;
  /** Where the word starts in the original text (UTF-16 offset). */
  start: number;
}

export interface CommandText {
  words: Word[];
  /** The original text from word `index` to the end, trimmed; '' past the last word. */
  rest(index: number): string;
}

/** NFKC and lower case: the form in which two spellings of a keyword or a name compare equal. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Splits a command's text into words (see the module comment). Never throws. */
export function readCommandText(text: string): CommandText {
  const words: Word[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const raw = m[0];
    const nfkc = raw.normalize('NFKC');
    words.push({ raw, text: nfkc, keyword: nfkc.toLowerCase(), start: m.index });
  }
  return {
    words,
    rest: (index) => (index < words.length ? text.slice(words[index]!.start).trim() : ''),
  };
}
