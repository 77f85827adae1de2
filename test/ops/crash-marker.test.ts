// The crash marker: written only for a failure that is a device's (its stack in device code,
// a device being handled), taken once at the next start, and a damaged one never stops a start.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { CrashRecorder } from '../../daemon/ops/crash-marker.js';

const DEVICE = { ieee: '0x00124b00000000aa', stage: 'message' };

function errorFrom(file: string): Error {
  const error = new TypeError('this.manufacturerName?.startsWith is not a function');
  error.stack = `TypeError: ${error.message}\n    at Device.onZclData (${file}:490:59)`;
  return error;
}
const herdsmanError = errorFrom('/opt/zigbee-hubd/node_modules/zigbee-herdsman/dist/controller/model/device.js');
const storeError = errorFrom('/opt/zigbee-hubd/daemon/store/outbox.ts');
const adapterError = errorFrom('/opt/zigbee-hubd/node_modules/zigbee-herdsman/dist/adapter/z-stack/adapter/zStackAdapter.js');
const converterError = errorFrom('/opt/zigbee-hubd/node_modules/zigbee-herdsman-converters/dist/lib/lumi.js');

t.test('a device failure is recorded and taken once; a damaged marker is removed with a warning', async (t) => {
  const file = path.join(t.testdir({}), 'crash-marker.json');
  const recorder = new CrashRecorder(file, () => 1234);
  const counted: unknown[] = [];
  t.equal(recorder.recordCrash(herdsmanError), undefined, 'nothing watched yet: no device to blame');
  recorder.watch({ activity: () => DEVICE, containFailure: (error) => counted.push(error) });

  t.equal(recorder.recordCrash(storeError), undefined, "the store's failure is not the device's, even while one is handled");
  t.notOk(fs.existsSync(file));
  t.equal(recorder.containRejection(storeError), undefined);
  t.equal(recorder.containRejection(adapterError), undefined, "herdsman's adapter failing is the radio's problem, not the device's");
  t.same(recorder.containRejection(converterError), DEVICE, "a converter's failure is the device's");
  counted.length = 0;
  t.same(counted, []);

  t.same(recorder.containRejection(herdsmanError), DEVICE, "herdsman's failure in a device's handling is the device's");
  t.same(counted, [herdsmanError], 'and counted against it');
  t.same(recorder.recordCrash(herdsmanError), { ...DEVICE, error: herdsmanError.message, at: 1234 });
  t.same(recorder.take(), { marker: { ...DEVICE, error: herdsmanError.message, at: 1234 } });
  t.same(recorder.take(), {}, 'taken once');

  fs.writeFileSync(file, '{"ieee":');
  t.match(recorder.take(), { problem: /crash marker .* damaged/ });
  t.notOk(fs.existsSync(file), 'a damaged marker is removed, not left to fail every start');
});
