/**
 * Finds where a JSON text stops being valid. Node 20's JSON.parse names a position for some
 * mistakes and not others ("Unexpected token 'x', ... is not valid JSON"), and a person
 * editing a config over SSH needs a line and column every time, so we scan for it ourselves.
 * Only used after JSON.parse has already failed, so speed does not matter.
 */
export function findJsonSyntaxError(text: string): number | undefined {
  let i = 0;
  const stop = (): never => {
    throw new SyntaxAt(i);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const expect = (char: string): void => {
    if (text.charAt(i) !== char) stop();
    i++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const c = text.charAt(i);
      if (c === '') stop();
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text.charAt(i + 1);
        if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          stop();
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) stop();
      i++;
    }
  };
  const number = (): void => {
    const pattern = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    pattern.lastIndex = i;
    if (pattern.exec(text) === null) stop();
    i = pattern.lastIndex;
  };
  const list = (close: string, item: () => void): void => {
    i++;
    skipSpace();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      if (text.charAt(i) === close) {
        i++;
        return;
      }
      expect(',');
    }
  };
  const value = (): void => {
    skipSpace();
    const c = text.charAt(i);
    if (c === '{') {
      list('}', () => {
        skipSpace();
        string();
        skipSpace();
        expect(':');
        value();
      });
    } else if (c === '[') list(']', value);
    else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal === undefined) stop();
      else i += literal.length;
    }
  };

  try {
    value();
    skipSpace();
    if (i < text.length) stop();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    throw error;
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/** 1-based line and column of a character offset, as editors show them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
