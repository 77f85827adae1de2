// The emulator's state file: ZCL values of every kind survive the JSON round trip, writes
// are atomic (no temp file left behind), and a file of another format is refused.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { readStateFile, STATE_FORMAT, writeStateFile } from '../../scripts/virtual-coordinator/state-file.js';
import { NvStore } from '../../scripts/virtual-coordinator/firmware/nv-store.js';
import { makeTempDir } from './harness.js';

t.test('state file round trip', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'state.json');
  const nv = new NvStore();
  nv.set(0x0021, Buffer.from('0102', 'hex'));
  nv.setEx(1, 0x0001, 3, Buffer.from('ffee', 'hex'));
  const definition = {
    id: 'x',
    description: 'values of every kind',
    logicalType: 'router' as const,
    manufacturerCode: 1,
    powerSource: 'mains' as const,
    endpoints: [{ id: 1, profileId: 0x0104, deviceId: 1, inClusters: [0], outClusters: [], attributes: { 0: { 1: { type: 0x25, value: 123456789012n }, 2: { type: 0x41, value: Buffer.from('abcd', 'hex') }, 3: { type: 0x42, value: 'name' } } } }],
  };
  writeStateFile(file, { format: STATE_FORMAT, version: 1, nv: nv.snapshot(), devices: [{ definition, lqi: 200 }] });
  t.same(fs.readdirSync(dir), ['state.json'], 'no temporary file left behind');

  const back = readStateFile(file)!;
  const attrs = back.devices[0].definition.endpoints[0].attributes![0];
  t.equal(attrs[1].value, 123456789012n, 'bigint survives');
  t.ok(Buffer.isBuffer(attrs[2].value) && (attrs[2].value as Buffer).equals(Buffer.from('abcd', 'hex')), 'Buffer survives');
  t.equal(attrs[3].value, 'name');
  const restored = new NvStore();
  restored.restore(back.nv);
  t.same(restored.get(0x0021), Buffer.from('0102', 'hex'));
  t.same(restored.getEx(1, 0x0001, 3), Buffer.from('ffee', 'hex'));

  t.equal(readStateFile(path.join(dir, 'missing.json')), undefined, 'a missing file is a blank stick');
  fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ format: 'something-else', version: 1 }));
  t.throws(() => readStateFile(path.join(dir, 'other.json')), /not a virtual coordinator state file/);
});
