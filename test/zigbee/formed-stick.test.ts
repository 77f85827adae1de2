// The formed-stick fixture: herdsman resumes the network on it (no forming, no 3 s settle), with
// the test network's parameters on both sides, and a daemon data dir prepared for it holds the
// same credentials.
import t from 'tap';
import { loadOrCreateNetworkCredentials } from '../../daemon/ops/network-credentials.js';
import { createLogger } from '../../daemon/ops/logger.js';
import { daemonOnFormedStick, formedStickNv, TEST_CREDENTIALS } from './formed-stick.js';
import { startFixture, tempDir } from './network-fixture.js';

const hex = (bytes: number[]) => Buffer.from(bytes).toString('hex');

t.test('herdsman resumes the test network on a formed stick', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  t.equal(fixture.result, 'resumed', 'not formed again');
  t.same(await fixture.network.networkParameters(), {
    panId: TEST_CREDENTIALS.panId,
    extendedPanId: `0x${hex(TEST_CREDENTIALS.extendedPanId)}`,
    channel: TEST_CREDENTIALS.channel,
  });
  t.equal(fixture.coordinator.firmware.networkKey()?.toString('hex'), hex(TEST_CREDENTIALS.networkKey), 'the stick holds the test key');
  t.equal(await formedStickNv(TEST_CREDENTIALS), await formedStickNv(TEST_CREDENTIALS), 'formed once per process');
});

t.test('a blank stick is still formed when a test asks for one', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t), blankStick: true });
  t.equal(fixture.result, 'reset');
});

t.test('a daemon data dir prepared for the formed stick holds the test network credentials', async (t) => {
  const dataDir = tempDir(t);
  const { initialNv } = await daemonOnFormedStick(dataDir);
  t.equal(initialNv, await formedStickNv(TEST_CREDENTIALS));
  const lines: string[] = [];
  const loaded = loadOrCreateNetworkCredentials(dataDir, createLogger({ out: { write: (line: string) => lines.push(line) } }));
  t.equal(loaded.created, false, 'the daemon loads them instead of generating a new network');
  t.equal(loaded.panId, TEST_CREDENTIALS.panId);
  t.equal(loaded.extendedPanId.toString('hex'), hex(TEST_CREDENTIALS.extendedPanId));
  t.equal(loaded.networkKey.toString('hex'), hex(TEST_CREDENTIALS.networkKey));
  t.notMatch(lines.join(''), hex(TEST_CREDENTIALS.networkKey), 'the key is not logged');
});
