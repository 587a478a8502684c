import { readFileSync } from 'node:fs';
import { KeywardenError, type KeywardenErrorCode } from '../errors.js';
import { jsonErrorOffset, lineAndColumn } from './json-syntax.js';

/**
 * Reads and parses a JSON file, turning every failure into one message that names the file:
 * a missing file, an unreadable one, or a syntax error with its line and column.
 */
export function readJsonFile(file: string, code: KeywardenErrorCode): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KeywardenError(code, `${file}: ${describeReadError(error)}`, { cause: error });
  }
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KeywardenError(code, `${file}: ${describeSyntaxError(text, error)}`, {
      cause: error,
    });
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return `cannot be read (${code ?? String(error)})`;
}

function describeSyntaxError(text: string, error: unknown): string {
  // V8's wording ("Expected double-quoted property name") is a useful hint; its position
  // suffix and quoted excerpt are replaced by a line and column.
  const v8 = error instanceof Error ? error.message : String(error);
  const hint = v8
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
  const offset = jsonErrorOffset(text, v8);
  if (offset === undefined) return `invalid JSON: ${hint}`;
  const { line, column } = lineAndColumn(text, offset);
  return `invalid JSON at line ${line}, column ${column}: ${hint}`;
}
