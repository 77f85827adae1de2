// herdsman over TCP must open a running stick as it opens one on a serial port: ping it and go
// on when it answers, instead of taking the bootloader path (0xEF, then a fixed 1 s wait) for a
// stick that was never asked. The real herdsman against the virtual coordinator; no timing
// assertion: what herdsman did is read from its own debug lines and the emulator's parser.
import t from 'tap';
import { startFixture, tempDir } from './network-fixture.js';

t.test('a stick on tcp:// that answers the first ping is not sent the bootloader byte', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t), debugLog: true });
  t.equal(fixture.result, 'resumed');
  const messages = fixture.log.lines.map((l) => l.msg);
  t.notOk(messages.includes('Writing CC2530/CC2531 skip bootloader payload'), 'no bootloader path (and no 1 s wait in it)');
  t.notOk(messages.includes('Skip bootloader for CC2652/CC1352'));
  const ping = messages.findIndex((m) => m.startsWith('--> SREQ: SYS - ping'));
  t.ok(ping !== -1 && messages.slice(ping).some((m) => m.startsWith('<-- SRSP: SYS - ping')), 'the first ping was sent and answered');
  t.equal(fixture.coordinator.link.parserStats.skippedBytes, 0, 'the emulator saw no byte outside a frame (no 0xEF)');
});
