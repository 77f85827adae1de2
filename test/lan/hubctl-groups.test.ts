// hubctl's groups, scenes, bindings and reporting against the daemon as a real process on the
// virtual coordinator: what hubctl prints and exits with, and what the simulated devices did.
// hubctl runs in this process (runHubctl, the same code bin/hubctl.js runs) to keep the file
// fast; one run as its own process shows the program's exit code.
import path from 'node:path';
import t from 'tap';
import { runHubctl } from '../../scripts/hubctl.js';
import { adminRequest } from '../../scripts/hubctl/admin-client.js';
import { unaryCall } from '../../scripts/hubctl/calls.js';
import { writeHubctlConfig } from '../../scripts/hubctl/config-file.js';
import { fetchCertificate, pinnedClient } from '../../scripts/hubctl/pinned-client.js';
import { ikeaRemote } from '../../scripts/virtual-coordinator/devices/remotes.js';
import { joinDevices, startStack } from '../e2e/stack.js';
import { hubctl } from './hubctl-process.js';

const ON_OFF = 0x0006;

t.test('hubctl groups, scenes, bind/unbind, reporting on the real daemon', async (t) => {
  const stack = await startStack({ config: { lan: { listen: '127.0.0.1', port: 0, mdns: false } } });
  t.teardown(() => stack.stop());
  const joined = await joinDevices(stack, ['ikea-bulb', 'aqara-double-rocker']);
  const bulb = joined.get('ikea-bulb')!;
  const rocker = joined.get('aqara-double-rocker')!;
  const remote = stack.coordinator.join(ikeaRemote).ieee;
  await stack.waitForCloud((e) => e.event.kind === 'device_interview' && e.event.ieee === remote && e.event.status === 'successful', 90_000);

  const listening = await stack.daemon.waitForLog((l) => l.msg === 'lan api listening');
  const address = `127.0.0.1:${listening['port']}`;
  const opened = await adminRequest(path.join(stack.dir, 'data', 'admin', 'lan.sock'), { cmd: 'pair', scope: 'control' });
  const certificate = await fetchCertificate(address);
  const client = pinnedClient(address, { certificate: certificate.pem, fingerprint: certificate.fingerprint });
  const { token, client_id: clientId } = await unaryCall(client, 'Pair', { code: opened['code'], client_name: 'laptop' });
  client.close();
  const config = path.join(stack.dir, 'hubctl.json');
  writeHubctlConfig(config, { address, fingerprint: certificate.fingerprint, certificate: certificate.pem, token, clientId, clientName: 'laptop' });
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), env: {}, interrupted: new Promise<void>(() => {}) };
    const code = await runHubctl([...args, '--config', config], io);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
  const ok = async (...args: string[]) => {
    const result = await run(...args);
    t.equal(result.code, 0, `hubctl ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const onOff = (ieee: string, ep: number) => (stack.coordinator.device(ieee) as unknown as { get(ep: number, cluster: number, attr: number): unknown }).get(ep, ON_OFF, 0);
  await ok('rename', bulb, 'bulb');
  await ok('rename', rocker, 'rocker');
  await ok('rename', remote, 'remote');

  // Groups.
  t.equal((await ok('group', 'create', 'Hall', '--id', '5')).stdout, 'created group 5 "Hall"');
  await ok('group', 'add', 'Hall', 'bulb');
  await ok('group', 'add', '5', 'rocker', 'right');
  t.same(JSON.parse((await ok('groups', '--json')).stdout), [
    { id: 5, name: 'Hall', members: [{ ieee: bulb, endpoint: 1 }, { ieee: rocker, endpoint: 2 }].sort((a, b) => a.ieee.localeCompare(b.ieee)), state: {} },
  ]);
  t.match((await ok('group', 'set', 'Hall', 'state=ON')).stdout, /^group Hall: .*state=ON/);
  t.same([onOff(bulb, 1), onOff(rocker, 1), onOff(rocker, 2)], [true, false, true], 'the bulb and the right relay switched, the left relay not');
  const table = (await ok('groups')).stdout;
  t.match(table, /^ID +NAME +MEMBERS +STATE$/m);
  t.match(table, /^5 +Hall +.*bulb\/1.*state=ON$/m, 'the table names the members and shows the group state');
  t.match(table, /rocker\/2/);
  await ok('group', 'rename', 'Hall', 'Hallway');

  // Scenes on the group and on one endpoint of a device.
  t.equal((await ok('scene', 'store', '--group', 'Hallway', '2', 'Evening')).stdout, 'stored scene 2 "Evening" on group Hallway');
  await ok('set', 'rocker', 'state_left=ON');
  await ok('scene', 'store', '--device', 'rocker', '--endpoint', 'left', '1', 'Left on');
  t.same(JSON.parse((await ok('scenes', '--json')).stdout), [
    { group_id: 0, ieee: rocker, endpoint: 1, scene_id: 1, name: 'Left on' },
    { group_id: 5, ieee: '', endpoint: 0, scene_id: 2, name: 'Evening' },
  ]);
  t.match((await ok('scenes')).stdout, /^group 5 \(Hallway\) +2 +Evening$/m);
  await ok('group', 'set', 'Hallway', 'state=OFF');
  t.same([onOff(bulb, 1), onOff(rocker, 2)], [false, false]);
  t.equal((await ok('scene', 'recall', '--group', 'Hallway', 'Evening')).stdout, 'recalled scene 2 "Evening" on group Hallway');
  t.same([onOff(bulb, 1), onOff(rocker, 2)], [true, true], 'the devices restored the scene');
  await ok('scene', 'remove', '--group', 'Hallway', '2');
  const gone = await run('scene', 'recall', '--group', 'Hallway', '2');
  t.equal(gone.code, 1, 'a removed scene is refused by the hub');
  t.match(gone.stderr, /INVALID_ARGUMENT: .*no scene 2 on group 5/);

  // Bindings and reporting.
  const bound = await ok('bind', 'remote', '--to', 'bulb', '--cluster', 'genOnOff');
  t.match(bound.stdout, /^bound remote to bulb$/m);
  t.match(bound.stdout, /^1 +genOnOff +bulb\/1$/m, 'the binding is listed by name');
  const listed = JSON.parse((await ok('bindings', 'remote', '--json')).stdout) as { bindings: Array<Record<string, unknown>> };
  t.ok(listed.bindings.some((b) => b['cluster'] === 'genOnOff' && b['target_ieee'] === bulb && b['target_endpoint'] === 1), 'bindings --json');
  const before = onOff(bulb, 1);
  (stack.coordinator.device(remote) as unknown as { press(action: string): void }).press('toggle');
  t.equal(onOff(bulb, 1), !before, 'the bound remote toggles the bulb');
  await ok('unbind', 'remote', '--to', 'bulb', '--cluster', 'genOnOff');
  const after = JSON.parse((await ok('bindings', 'remote', '--json')).stdout) as { bindings: Array<Record<string, unknown>> };
  t.notOk(after.bindings.some((b) => b['target_ieee'] === bulb), 'unbound');
  const reporting = await ok('reporting', 'bulb', 'genLevelCtrl', 'currentLevel', '1', '300', '5');
  t.match(reporting.stdout, /^1 +genLevelCtrl +currentLevel +1 +300 +5$/m);

  // Bad command lines (exit 2, nothing sent) and refusals (exit 1, the hub's reason).
  t.match(await run('bind', 'remote'), { code: 2, stderr: /bind needs a target: --group GROUP or --to DEVICE \(exactly one\)/ });
  t.match(await run('scene', 'store', '2', 'x'), { code: 2, stderr: /needs a target: --group GROUP, or --device NAME/ });
  t.match(await run('reporting', 'bulb', 'genOnOff', 'onOff', '0', 'never'), { code: 2, stderr: /MAX must be a whole number 0\.\.65535, got "never"/ });
  t.match(await run('group', 'set', 'Nowhere', 'state=ON'), { code: 1, stderr: /unknown group "?Nowhere/ });
  t.match(await run('group', 'set', 'Hallway', 'colour=red'), { code: 1, stderr: /INVALID_ARGUMENT: .*colour/ });

  await ok('group', 'remove', 'Hallway', 'rocker', 'right');
  const asProcess = await hubctl(['group', 'delete', 'Hallway', '--config', config]);
  t.equal(asProcess.code, 0, `bin/hubctl.js group delete: ${asProcess.stderr}`);
  t.equal((await ok('groups')).stdout, 'no groups');
});
