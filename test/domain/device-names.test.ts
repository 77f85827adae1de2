import t from 'tap';
import { isIeee, labelProblem, normalizeIeee } from '../../daemon/domain/device-names.js';

t.test('ieee addresses: stored lower-case, accepted in any case', async (t) => {
  t.ok(isIeee('0x00158d0001a2b3c4'));
  t.notOk(isIeee('0x00158D0001A2B3C4'), 'the stored form is lower-case');
  t.equal(normalizeIeee('0x00158D0001A2B3C4'), '0x00158d0001a2b3c4');
  for (const bad of [undefined, '', '00158d0001a2b3c4', '0x00158d0001a2b3c', '0x00158d0001a2b3c4f', '0x00158d0001a2b3cg']) {
    t.equal(normalizeIeee(bad), undefined, String(bad));
  }
});

t.test('names and rooms: 1-128 printable characters after trimming', async (t) => {
  t.equal(labelProblem('  Kitchen  '), undefined);
  t.equal(labelProblem('x'.repeat(128)), undefined);
  t.equal(labelProblem(' '.repeat(3)), 'must not be empty');
  t.equal(labelProblem(undefined), 'must not be empty');
  t.equal(labelProblem(`${'x'.repeat(128)}y`), 'is longer than 128 characters');
  t.equal(labelProblem('a\nb'), 'contains control characters');
  t.equal(labelProblem('a\u007fb'), 'contains control characters');
});
