// A simulated device losing power hears and sends nothing; coming back it takes its power-on
// state from its start-up attributes (as a real light does) without reporting it.
import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { command, ManualClock, recorder } from './helpers.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;
const COLOR = 0x0300;

function bulb(startUp: { onOff: number; level: number; mireds: number }) {
  const io = recorder();
  const device = new SimulatedDevice(catalogueDevice('hue-color-bulb'), io, { timers: new ManualClock() });
  device.setUnreported(11, ON_OFF, { 0x0000: false, 0x4003: startUp.onOff });
  device.setUnreported(11, LEVEL, { 0x0000: 100, 0x4000: startUp.level });
  device.setUnreported(11, COLOR, { 0x0007: 250, 0x4010: startUp.mireds });
  return { device, io };
}

t.test('start-up behaviour: on, off, toggle, previous; level and colour temperature', async (t) => {
  const cases: Array<[{ onOff: number; level: number; mireds: number }, [boolean, number, number]]> = [
    [{ onOff: 1, level: 0xff, mireds: 0xffff }, [true, 100, 250]],
    [{ onOff: 0, level: 200, mireds: 370 }, [false, 200, 370]],
    [{ onOff: 2, level: 0, mireds: 0xffff }, [true, 1, 250]],
    [{ onOff: 0xff, level: 0xff, mireds: 0xffff }, [false, 100, 250]],
  ];
  for (const [startUp, expected] of cases) {
    const { device, io } = bulb(startUp);
    device.powerOff();
    device.powerOn();
    t.same([device.get(11, ON_OFF, 0), device.get(11, LEVEL, 0), device.get(11, COLOR, 7)], expected, JSON.stringify(startUp));
    t.same(io.take(), [], 'nothing reported');
  }
});

t.test('without power a device ignores commands and answers nothing', async (t) => {
  const { device, io } = bulb({ onOff: 0xff, level: 0xff, mireds: 0xffff });
  device.powerOff();
  device.receive(command('genOnOff', 'on', {}, { dstEndpoint: 11 }));
  t.equal(device.get(11, ON_OFF, 0), false, 'still off');
  t.same(io.take(), [], 'no answer');
  device.powerOn();
  device.receive(command('genOnOff', 'on', {}, { dstEndpoint: 11 }));
  t.equal(device.get(11, ON_OFF, 0), true, 'takes commands again');
});
