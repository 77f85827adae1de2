// hubctl get NAME [key ...]: with no key the hub's current state of the device (GetDevice), with
// keys a read from the device itself (ReadState, like `hubctl read`).
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runHubctl } from '../../scripts/hubctl.js';
import { writeHubctlConfig } from '../../scripts/hubctl/config-file.js';
import { device } from '../store/helpers.js';
import { startTestLan } from './helpers.js';

t.test('hubctl get', async (t) => {
  const lan = await startTestLan(t);
  const { token, clientId } = await lan.pair('control', 'laptop');
  const bulb = device(1);
  lan.store.devices.upsert(bulb);
  lan.store.devices.rename(bulb.ieee, 'Hall lamp');
  lan.store.state.apply(bulb.ieee, { state: 'ON', brightness: 128 });
  await lan.store.flush();
  const config = path.join(lan.dir, 'hubctl.json');
  const certificate = fs.readFileSync(path.join(lan.dir, 'lan', 'lan-cert.pem'), 'utf8');
  writeHubctlConfig(config, { address: lan.address, fingerprint: lan.lan.fingerprint, certificate, token, clientId, clientName: 'laptop' });
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), env: {}, interrupted: new Promise<void>(() => {}) };
    const code = await runHubctl([...args, '--config', config], io);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  const current = await run('get', 'Hall lamp');
  t.equal(current.code, 0, current.stderr);
  t.equal(current.stdout, 'Hall lamp: brightness=128 state=ON', 'the hub\'s current state');
  const json = await run('get', bulb.ieee, '--json');
  t.same(JSON.parse(json.stdout), { state: 'ON', brightness: 128 });
  t.same(lan.executor.commands, [], 'no key: nothing asked of the device');

  t.equal((await run('get', 'Hall lamp', 'state', 'brightness')).code, 0);
  t.match(lan.executor.commands, [{ kind: 'read_state', ieee: bulb.ieee, keys: ['state', 'brightness'] }], 'keys: read from the device');

  const unknown = await run('get', 'kitchen');
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /NOT_FOUND: no device "kitchen"/);
  t.equal((await run('get')).code, 2, 'no name: a usage error');
});
