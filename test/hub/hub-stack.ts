// The hub's device path as the daemon wires it, without the process: real herdsman against the
// virtual coordinator, a real SQLite store in a temp dir, device-sync feeding the store, and the
// command executor. Tests of groups, scenes, bindings and the report path start here.
import path from 'node:path';
import type { Test } from 'tap';
import { HubCommandExecutor } from '../../daemon/hub/command-executor.js';
import { syncDevicesToStore, type DeviceSyncHooks } from '../../daemon/hub/device-sync.js';
import { GroupStateFollower } from '../../daemon/hub/group-state.js';
import { openStore, type Store } from '../../daemon/store/index.js';
import { recordingLog } from '../store/helpers.js';
import { startFixture, tempDir, type Fixture } from '../zigbee/network-fixture.js';

export interface HubStack {
  fixture: Fixture;
  store: Store;
  /** The SQLite file, for tests that read what was committed. */
  dbPath: string;
  executor: HubCommandExecutor;
  /** Runs one command through the executor with a fresh id. */
  run: (command: Record<string, unknown>) => ReturnType<HubCommandExecutor['execute']>;
}

export interface HubStackOptions {
  /** Group state follows members (device-sync tells the follower, as in the daemon). */
  groupState?: boolean;
  /** The store logs into the fixture's log (for tests that read log lines) instead of its own. */
  storeLogInFixture?: boolean;
}

export async function startHubStack(t: Test, options: HubStackOptions = {}): Promise<HubStack> {
  const dir = tempDir(t);
  let store: Store | undefined;
  const fixture = await startFixture(t, { dataDir: dir, network: { stateOf: (ieee) => store?.state.get(ieee) } });
  const dbPath = path.join(dir, 'hub.db');
  store = openStore({ path: dbPath, log: options.storeLogInFixture ? fixture.log.child('store') : recordingLog() });
  const opened = store;
  const follower = options.groupState
    ? new GroupStateFollower({ store: opened, memberKey: (ieee, key) => fixture.network.groups.memberKey(ieee, key) })
    : undefined;
  const hooks: DeviceSyncHooks = follower ? { stateChanged: (ieee, changed) => follower.memberChanged(ieee, changed) } : {};
  const sync = syncDevicesToStore(fixture.network, opened, hooks);
  t.teardown(async () => {
    sync.stop();
    await fixture.stop();
    await opened.close();
  });
  let n = 0;
  const executor = new HubCommandExecutor(fixture.network, opened, follower);
  const run: HubStack['run'] = (command) => executor.execute({ id: `c${++n}`, ...command } as never);
  return { fixture, store: opened, dbPath, executor, run };
}
