import t from 'tap';
import { findJsonSyntaxError } from '../../daemon/ops/json-syntax-error.js';

// The locator must agree with JSON.parse on what is valid, or it would point at phantom
// errors (or none) in a file JSON.parse rejected.
const samples = [
  '{}', '[]', '0', '-0.5e+10', '"\\u00e9\\n"', 'true', ' null ', '{"a":[1,{"b":false}],"c":"d"}',
  '', '{', '{"a":1,}', '[1,]', "{'a':1}", '{"a" 1}', '{a:1}', '01', '1.', '.5', '+1', '"tab\there"',
  '"\\x41"', '"\\u12"', '{"a":1}}', '[1 2]', 'nul', 'True', '"unterminated', '{"a":-}', '[--1]', '1e', '"\\',
];

t.test('agrees with JSON.parse on validity', async (t) => {
  for (const text of samples) {
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    t.equal(findJsonSyntaxError(text) === undefined, parses, JSON.stringify(text));
  }
});

t.test('reports line, column and a reason without quoting the input', async (t) => {
  const text = '{\n  "network_key": "0123456789abcdef",\n  "pan_id": 0x1a62\n}';
  const error = findJsonSyntaxError(text);
  t.same(error && { line: error.line, column: error.column, offset: error.offset }, { line: 3, column: 14, offset: text.indexOf('x1a62') });
  t.match(error?.reason, 'expected "," or "}", found "x"');
  t.notMatch(error?.reason, '0123456789');
  t.match(findJsonSyntaxError('{"a": "b\nc"}')?.reason, 'control character');
  t.same(findJsonSyntaxError('{"a": "never closed}') && findJsonSyntaxError('{"a": "never closed}')!.column, 7, 'points at the opening quote');
});
