import t from 'tap';
import { ZigbeeError } from '../../daemon/zigbee/errors.js';
import { controllerOptions, validateOptions } from '../../daemon/zigbee/network-options.js';
import type { ZigbeeNetworkOptions } from '../../daemon/zigbee/types.js';

const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log };
const good: ZigbeeNetworkOptions = {
  serial: { path: 'tcp://127.0.0.1:1', adapter: 'zstack' },
  network: {
    panId: 0x1a62,
    extendedPanId: [0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd],
    networkKey: [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13],
    channel: 11,
  },
  dataDir: '/tmp/x',
  log,
};

function refusal(options: ZigbeeNetworkOptions): ZigbeeError {
  try {
    validateOptions(options);
  } catch (error) {
    if (error instanceof ZigbeeError) return error;
    throw error;
  }
  throw new Error('accepted');
}

t.test('good options pass and map onto herdsman options', async (t) => {
  validateOptions(good);
  const mapped = controllerOptions(good, async () => true);
  t.equal(mapped.network.panID, 0x1a62);
  t.same(mapped.network.channelList, [11]);
  t.same(mapped.network.networkKey, good.network.networkKey);
  t.equal(mapped.databasePath, '/tmp/x/database.db');
  t.equal(mapped.backupPath, '/tmp/x/coordinator_backup.json');
  t.equal(mapped.serialPort.adapter, 'zstack');
});

t.test('each bad setting is named, and a bad key is never echoed', async (t) => {
  const bad = (patch: Partial<ZigbeeNetworkOptions['network']>) => ({ ...good, network: { ...good.network, ...patch } });
  t.match(refusal(bad({ panId: 0xffff })).message, /panId/);
  t.match(refusal(bad({ channel: 27 })).message, /channel/);
  t.match(refusal(bad({ extendedPanId: [1, 2, 3] })).message, /extendedPanId/);
  const shortKey = [201, 202, 203, 204, 205];
  const error = refusal(bad({ networkKey: shortKey }));
  t.equal(error.code, 'invalid_options');
  t.match(error.message, /networkKey must be 16 bytes/);
  t.notMatch(error.message, /201/);
  t.match(refusal({ ...good, serial: { path: '', adapter: 'zstack' } }).message, /serial.path/);
  t.match(refusal({ ...good, maxPermitJoinSeconds: 300 }).message, /maxPermitJoinSeconds/);
});
