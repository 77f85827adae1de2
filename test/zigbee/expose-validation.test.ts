// A value the converters cannot take is refused with a message naming the key, what it must be
// and what came: quoting only the start of a huge value, so an error stays readable and small.
import t from 'tap';
import { valueProblem } from '../../daemon/zigbee/expose-validation.js';

const binary = { type: 'binary', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE' };
const numeric = { type: 'numeric', property: 'brightness', access: 7, value_min: 0, value_max: 254 };

t.test('small bad values are quoted whole', async (t) => {
  t.equal(valueProblem('state', 'BLINK', binary), "'state' must be one of 'ON', 'OFF', 'TOGGLE', got 'BLINK'");
  t.equal(valueProblem('brightness', { a: 1 }, numeric), `'brightness' must be a number, got {"a":1}`);
  t.equal(valueProblem('brightness', 300, numeric), "'brightness' 300 is above 254");
  t.equal(valueProblem('state', 'on', binary), undefined, 'case does not matter');
});

t.test('a huge bad value (or key) is quoted by its start and its length only', async (t) => {
  const huge = 'x'.repeat(1024 * 1024);
  const problem = valueProblem('state', huge, binary)!;
  t.match(problem, /^'state' must be one of 'ON', 'OFF', 'TOGGLE', got 'xxxx/);
  t.match(problem, /1048576 characters/);
  t.ok(problem.length < 300, `${problem.length} characters`);

  const deep = { list: Array.from({ length: 100_000 }, (_, i) => i) };
  t.ok(valueProblem('brightness', deep, numeric)!.length < 300, 'an object is quoted by its start too');

  const longKey = 'k'.repeat(100_000);
  const keyProblem = valueProblem(longKey, huge, binary)!;
  t.ok(keyProblem.length < 500, `a long key is cut too (${keyProblem.length} characters)`);
});
