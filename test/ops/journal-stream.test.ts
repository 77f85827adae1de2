import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { isJournalStream } from '../../daemon/ops/journal-stream.js';

t.test('true only when the fd is the very stream JOURNAL_STREAM names', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-journal-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const journal = fs.openSync(path.join(dir, 'journal'), 'w');
  const other = fs.openSync(path.join(dir, 'other'), 'w');
  t.teardown(() => [journal, other].forEach((fd) => fs.closeSync(fd)));
  const stat = fs.fstatSync(journal, { bigint: true });
  const env = { JOURNAL_STREAM: `${stat.dev}:${stat.ino}` };

  t.equal(isJournalStream(journal, env), true);
  t.equal(isJournalStream(other, env), false, 'stdout redirected elsewhere by a wrapper');
  t.equal(isJournalStream(journal, {}), false, 'not started by systemd');
  t.equal(isJournalStream(journal, { JOURNAL_STREAM: 'garbage' }), false);
  t.equal(isJournalStream(9999, env), false, 'a closed fd');
});
