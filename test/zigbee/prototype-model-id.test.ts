// A device whose modelId is the name of an Object.prototype member ("__proto__", "constructor",
// "toString") made zigbee-herdsman-converters' model index lookup throw "indexes is not
// iterable" (MODELS_INDEX is a plain object). The failure was contained, but the device got no
// interview outcome at all, so nobody heard of it. Found by the fuzzer (seed 2027). It must be
// interviewed as an unsupported device, like any other unknown model.
import t from 'tap';
import { DataType as T } from '../../scripts/virtual-coordinator/devices/zcl/data-types.js';
import { MODEL_ID, unknownGadget } from './test-devices.js';
import { joinDevice, startFixture, tempDir } from './network-fixture.js';

t.test('modelId "__proto__", "constructor", "toString": interviewed as unsupported devices, not lost', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  for (const model of ['__proto__', 'constructor', 'toString']) {
    const gadget = unknownGadget();
    gadget.endpoints[0]!.attributes![0x0000]![MODEL_ID] = { type: T.charStr, value: model };
    const joined = await joinDevice(fixture, { ...gadget, id: `odd-model-${model}`, description: `modelId ${model}` });
    t.equal(joined.status, 'successful', `${model}: interviewed`);
    t.equal(joined.description.modelId, model, `${model}: its modelId shown as sent`);
    t.equal(joined.description.supported, false, `${model}: shown as not supported`);
  }
  t.same(fixture.log.lines.filter((l) => l.msg === 'device data handling failed'), [], 'no handling failure');
});
