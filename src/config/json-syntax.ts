/**
 * Where JSON.parse stopped, as a character offset, read from V8's own error message: a person
 * editing a config over SSH needs a line and column every time. Node 20's V8 names a position
 * for most mistakes ("... in JSON at position 8"). For an unexpected token it quotes the text
 * instead, from up to 10 characters before the token to 10 after it; the text is parsed again
 * with trailing spaces (which move no error) so that the quote is always cut on the right, and
 * the offset follows from the quote. Undefined for wording this does not know (another
 * engine). Only used after JSON.parse has already failed, so speed does not matter.
 */
export function jsonErrorOffset(text: string, message: string): number | undefined {
  const at = / at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (message.startsWith('Unexpected end of JSON input')) return text.length;
  // V8 quotes a text of up to 20 characters whole, without saying where the token is.
  const padded = text + ' '.repeat(2 * QUOTE_CONTEXT + 1);
  const quote = UNEXPECTED_TOKEN.exec(parseErrorMessage(padded));
  if (quote === null) return undefined;
  const [, cutBefore, excerpt = ''] = quote;
  // Cut before: the quote starts 10 characters before the token (the first place it fits: an
  // identical 21-character stretch earlier in the file would have failed there already).
  return cutBefore === undefined
    ? excerpt.length - QUOTE_CONTEXT
    : padded.indexOf(excerpt) + QUOTE_CONTEXT;
}

/** V8's "Unexpected token 'x', ..."<quote>"... is not valid JSON", with the right part cut. */
const UNEXPECTED_TOKEN = /^Unexpected token '.+?', (\.\.\.)?"([\s\S]*)"\.\.\. is not valid JSON$/;
const QUOTE_CONTEXT = 10;

function parseErrorMessage(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** 1-based line and column of a character offset, as editors show them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
