// describeDevice type-checks every field herdsman hands over: herdsman keeps whatever ZCL type a
// device answered with. A plain object stands in for herdsman's Device (describeDevice only
// reads its fields), with the odd values real devices send.
import t from 'tap';
import { describeDevice } from '../../daemon/zigbee/device-description.js';
import { repairHerdsmanTextFields, textOf } from '../../daemon/zigbee/attribute-text.js';
import type { HerdsmanDevice } from '../../daemon/zigbee/herdsman-types.js';

function fakeDevice(fields: Record<string, unknown>): HerdsmanDevice {
  return {
    ieeeAddr: '0x00124b0000000001',
    networkAddress: 0x1234,
    type: 'EndDevice',
    interviewState: 'SUCCESSFUL',
    endpoints: [{ ID: 1, profileID: 0x0104, deviceID: 0x0302, inputClusters: [0, 0x0402], outputClusters: [] }],
    ...fields,
  } as unknown as HerdsmanDevice;
}

t.test('text attributes of any type become text or are left out', async (t) => {
  const cases: Array<[unknown, string | undefined]> = [
    [0x1234, '4660'],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [[1, 2, 3], undefined],
    [{ elmType: 0x21, elmVal: 3 }, undefined],
    [Buffer.from([0xff, 0xfe, 0x00]), '0xfffe00'],
    [Buffer.from('TS0601'), 'TS0601'],
    ['lumi.weather\u0000\u0000', 'lumi.weather'],
    ['caf\ufffd', 'caf'],
    ['x'.repeat(300), 'x'.repeat(64)],
    ['   ', undefined],
    [10n, '10'],
    [null, undefined],
  ];
  for (const [value, expected] of cases) t.equal(textOf(value), expected, `${JSON.stringify(String(value).slice(0, 16))} -> ${JSON.stringify(expected)}`);
});

t.test('describeDevice: odd fields are normalised, never passed on as they are', async (t) => {
  const description = describeDevice(
    fakeDevice({
      manufacturerName: 0x1234,
      modelID: { struct: true },
      powerSource: 7,
      manufacturerID: Number.NaN,
      networkAddress: 'abc',
      endpoints: [
        { ID: 1, profileID: 0x0104, deviceID: 'x', inputClusters: [0, -1, 0x10000, 'a', 6], outputClusters: 'none' },
        { ID: 999, profileID: 0, deviceID: 0, inputClusters: [], outputClusters: [] },
      ],
    }),
  );
  t.same(description, {
    ieee: '0x00124b0000000001',
    nwk: 0,
    type: 'EndDevice',
    supported: false,
    interview: 'successful',
    endpoints: [{ id: 1, profileId: 0x0104, inClusters: [0, 6], outClusters: [] }],
    manufacturerName: '4660',
    powerSource: '7',
  });
});

t.test("repairHerdsmanTextFields fixes only non-strings on herdsman's device and says which", async (t) => {
  const device = fakeDevice({ manufacturerName: 0x1234, modelID: 'TS0601\u0000', dateCode: [1], softwareBuildID: undefined });
  t.same(repairHerdsmanTextFields(device), ['manufacturerName', 'dateCode']);
  t.equal(device.manufacturerName, '4660');
  t.equal(device.modelID, 'TS0601\u0000', 'strings are left as they are: converters match them verbatim');
  t.equal(device.dateCode, undefined);
  t.same(repairHerdsmanTextFields(device), [], 'nothing left to repair');
});
