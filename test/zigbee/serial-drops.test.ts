// Frames the UNPI parser has to drop (a bad checksum, noise between frames) are counted in the
// network's stats and reported by one info line per burst, not one per frame, and not silently.
import t from 'tap';
import { SerialDropCounter } from '../../daemon/zigbee/serial-drops.js';
import { joinDevice, nextEvent, recordingLogger, startFixture, tempDir } from './network-fixture.js';

t.test('dropped serial input is counted and logged once per burst', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const weather = (await joinDevice(fixture, 'aqara-weather')).ieee;
  t.match(network.stats().serialDropped, { badChecksum: 0, noise: 0, noiseBytes: 0 }, 'nothing dropped on a clean link');

  for (let i = 0; i < 3; i++) vc.fault({ type: 'malformed', kind: 'garbage' }); // 16 bytes each, no SOF
  vc.fault({ type: 'malformed', kind: 'badFcs' });
  vc.fault({ type: 'malformed', kind: 'badFcs' });
  const good = nextEvent(network, 'state', (e) => e.ieee === weather && 'temperature' in e.state);
  vc.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2250 });
  t.same((await good).state, { temperature: 22.5 }, 'the good report after the noise arrives');

  t.same(network.stats().serialDropped, { badChecksum: 2, noise: 1, noiseBytes: 48 }, 'both bad-checksum frames and the noise run counted');
  const lines = fixture.log.lines.filter((l) => l.msg.startsWith('dropped malformed serial input'));
  t.equal(lines.length, 1, 'one line for the burst');
  t.equal(lines[0]?.level, 'info');
  t.match(lines[0]?.fields, { kind: 'noise', bytes: 48 }, 'it says what was dropped first');
});

t.test('a noisy link gets at most one summary line per window', async (t) => {
  const pending: Array<() => void> = [];
  const timers = { setTimeout: (fn: () => void) => (pending.push(fn), fn), clearTimeout: (h: unknown) => pending.splice(pending.indexOf(h as () => void), 1) };
  const log = recordingLogger();
  const counter = new SerialDropCounter({ log, timers, windowMs: 1000 });
  const lines = () => log.lines.filter((l) => l.msg.startsWith('dropped malformed serial input'));
  counter.record({ kind: 'bad_checksum', bytes: 9 });
  for (let i = 0; i < 500; i++) counter.record({ kind: i % 2 ? 'noise' : 'bad_checksum', bytes: 3 });
  t.equal(lines().length, 1, 'the first drop is logged at once, the burst is not');
  pending.shift()!();
  t.equal(lines().length, 2, 'the window ends with one summary');
  t.match(lines()[1]!.fields, { sinceLastLine: { badChecksum: 250, noise: 250, noiseBytes: 750 }, total: { badChecksum: 251, noise: 250 } });
  pending.shift()!();
  t.equal(lines().length, 2, 'a quiet window: no line');
  t.equal(pending.length, 0, 'and no timer left');
  counter.record({ kind: 'noise', bytes: 1 });
  t.equal(lines().length, 3, 'the next drop after a quiet window is logged at once');
  counter.stop();
  t.equal(pending.length, 0, 'stop clears the window');
  t.same(counter.stats(), { badChecksum: 251, noise: 251, noiseBytes: 751 });
});
