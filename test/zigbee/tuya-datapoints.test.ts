// A Tuya TS0601 device is driven by datapoints: its definition's toZigbee converter has no keys
// and sets whatever its datapoint map names, as in Zigbee2MQTT. Its exposed settable keys were
// refused ("settable: none"); now a position goes out as a datapoint frame, the motor in the
// simulated blind drive runs and reports its position back as datapoints.
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';

const TUYA = 0xef00;
const DP_POSITION = 3;
const DP_MOTOR_SPEED = 105;

t.test('a Tuya TS0601 blind drive: position and a setting set through datapoints', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const { ieee, description } = await joinDevice(fixture, 'tuya-blind-motor');
  t.equal(description.model, 'AM43-0.45/40-ES-EB', 'TS0601_cover_4, as its white label');
  const drive = vc.device(ieee) as SimulatedDevice;
  const motorAt = () => drive.get(1, TUYA, DP_POSITION);

  // The echo of the target says 30 at once; the motor's own report (datapoint 3) when it is there.
  const moving = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.position === 5);
  const arrived = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.position === 30 && motorAt() === 30);
  await network.setState(ieee, { position: 30 });
  await moving;
  await arrived;
  t.pass('the motor ran to 30, reporting as it went');

  const speed = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.motor_speed === 80);
  await network.setState(ieee, { motor_speed: 80 });
  await speed;
  t.equal(drive.get(1, TUYA, DP_MOTOR_SPEED), 80);

  await t.rejects(network.setState(ieee, { write: { cluster: 'genBasic', payload: {} } }), { code: 'unsupported_key' }, 'raw keys stay refused');
});
