// hubctl's human output: aligned tables with units from the exposes, relative times, one line
// per event.
import t from 'tap';
import { toStruct, toValue } from '../../daemon/cloud/index.js';
import { deviceDetail, devicesTable, eventLine, relativeTime } from '../../scripts/hubctl/format.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

const weather = {
  ieee: '0x00158d0001a2b3c4',
  name: 'balcony',
  room: 'Outside',
  model: 'WSDCGQ11LM',
  vendor: 'Aqara',
  available: true,
  left: false,
  last_seen_ms: NOW - 90_000,
  linkquality: 120,
  state: toStruct({ temperature: 21.5, humidity: 40 }),
  exposes: [
    { type: 'numeric', property: 'temperature', unit: '°C', access: 1, features: [] },
    { type: 'numeric', property: 'humidity', unit: '%', access: 1, features: [] },
  ],
};
const bulb = {
  ieee: '0x000b57fffe8a9b0c',
  name: 'hall light',
  model: 'LED1545G12',
  vendor: 'IKEA',
  available: false,
  left: false,
  last_seen_ms: 0,
  state: toStruct({ state: 'OFF' }),
  exposes: [
    {
      type: 'light',
      features: [
        { type: 'binary', property: 'state', access: 7, value_on: toValue('ON'), value_off: toValue('OFF'), features: [] },
        { type: 'numeric', property: 'brightness', access: 7, value_min: 0, value_max: 254, features: [] },
      ],
    },
  ],
};

t.test('devices: aligned columns, units, relative times', async (t) => {
  const lines = devicesTable([weather, bulb], NOW).split('\n');
  t.equal(lines.length, 3);
  t.match(lines[0], /^NAME\s+ROOM\s+MODEL\s+VENDOR\s+AVAILABLE\s+LAST SEEN\s+LQI\s+STATE$/);
  t.match(lines[1], /^balcony\s+Outside\s+WSDCGQ11LM\s+Aqara\s+yes\s+2 min ago\s+120\s+humidity=40 % temperature=21\.5 °C$/);
  t.match(lines[2], /^hall light\s+LED1545G12\s+IKEA\s+no\s+never\s+state=OFF$/);
  t.equal(lines[1]!.indexOf('Aqara'), lines[2]!.indexOf('IKEA'), 'columns line up');
});

t.test('device: details and the settable keys with their ranges', async (t) => {
  const text = deviceDetail(bulb, NOW);
  t.match(text, /name\s+hall light/);
  t.match(text, /state\s+rwg\s+binary\s+ON \/ OFF/);
  t.match(text, /brightness\s+rwg\s+numeric\s+0\.\.254/);
});

t.test('events: one readable line each, names instead of addresses', async (t) => {
  const names = new Map([[weather.ieee, 'balcony']]);
  const line = eventLine({ event: { seq: 5, at_ms: NOW, payload: 'state_changed', state_changed: { ieee: weather.ieee, state: toStruct({ temperature: 22, humidity: 40 }), changed: ['temperature'] } } }, names);
  t.match(line, /balcony temperature=22$/);
  t.match(eventLine({ event: { seq: 6, at_ms: NOW, payload: 'availability_changed', availability_changed: { ieee: bulb.ieee, available: false } } }, names), new RegExp(`${bulb.ieee} unavailable$`));
  const group = { group_id: 3, name: 'Hall', members: [{ ieee: weather.ieee, endpoint: 1 }], deleted: false };
  t.match(eventLine({ event: { seq: 7, at_ms: NOW, payload: 'group_changed', group_changed: group } }, names), /group 3 "Hall" members: balcony\/1$/);
  t.match(eventLine({ event: { seq: 8, at_ms: NOW, payload: 'group_changed', group_changed: { ...group, members: [], deleted: true } } }, names), /group 3 "Hall" deleted$/);
  const groupState = { group_id: 3, state: toStruct({ state: 'ON', brightness: 9 }), changed: ['state'] };
  t.match(eventLine({ event: { seq: 9, at_ms: NOW, payload: 'group_state_changed', group_state_changed: groupState } }, names), /group 3 state=ON$/);
  t.equal(relativeTime(NOW - 3 * 86_400_000, NOW), '3 d ago');
});
