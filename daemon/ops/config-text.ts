// The config file's text to a plain value: YAML 1.2 (the `yaml` package), so JSON files stay
// valid. Syntax errors name the line and column; duplicate keys are an error, not "last wins".

import { parseDocument } from 'yaml';

/** The parsed value, or a message saying what is wrong with the text (no file name). */
export function parseConfigText(raw: string): { value: unknown } | { problem: string } {
  // Editors on other systems like to prepend a byte-order mark.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') return { problem: 'the file is empty (an empty object {} means "all defaults")' };
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, version: '1.2' });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { problem: `not valid YAML${where ? ` at line ${where.line}, column ${where.col}` : ''}: ${what}` };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  // A document of only comments.
  return { value: value ?? {} };
}
