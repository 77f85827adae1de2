// Tokens carry created and last-used times (issue 9): set at pairing and on use (at most once a
// minute per client, a hint for people), shown by ListClients, the admin socket and hubctl.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { adminRequest } from '../../scripts/hubctl/admin-client.js';
import { runHubctl } from '../../scripts/hubctl.js';
import { writeHubctlConfig } from '../../scripts/hubctl/config-file.js';
import { startTestLan } from './helpers.js';

type Client = { id: string; name: string; created_at_ms: number; last_used_at_ms: number };

t.test('created and last-used times of LAN clients', async (t) => {
  const lan = await startTestLan(t);
  const before = Date.now();
  const admin = await lan.pair('admin', 'phone');
  const tablet = await lan.pair('control', 'tablet');
  const after = Date.now();
  const clients = async () => {
    await lan.store.flush();
    const listed = (await adminRequest(lan.lan.adminSocket, { cmd: 'clients' }))['clients'] as Client[];
    return new Map(listed.map((c) => [c.name, c]));
  };

  let tabletRow = (await clients()).get('tablet')!;
  t.ok(tabletRow.created_at_ms >= before && tabletRow.created_at_ms <= after, 'created at pairing');
  t.equal(tabletRow.last_used_at_ms, 0, 'never used yet');

  const firstUse = Date.now();
  await lan.call('ListDevices', {}, tablet.token);
  tabletRow = (await clients()).get('tablet')!;
  t.ok(tabletRow.last_used_at_ms >= firstUse && tabletRow.last_used_at_ms <= Date.now(), 'last used: the call just made');

  lan.advance(30_000);
  await lan.call('ListDevices', {}, tablet.token);
  t.equal((await clients()).get('tablet')!.last_used_at_ms, tabletRow.last_used_at_ms, 'within the minute: not written again');
  lan.advance(31_000);
  await lan.call('ListDevices', {}, tablet.token);
  t.ok((await clients()).get('tablet')!.last_used_at_ms >= tabletRow.last_used_at_ms + 60_000, 'a minute later: written again');

  const viaApi = (await lan.call('ListClients', {}, admin.token))['clients'] as Client[];
  t.match(viaApi.find((c) => c.name === 'tablet'), { created_at_ms: tabletRow.created_at_ms, last_used_at_ms: Number });

  const config = path.join(lan.dir, 'hubctl.json');
  const certificate = fs.readFileSync(path.join(lan.dir, 'lan', 'lan-cert.pem'), 'utf8');
  writeHubctlConfig(config, { address: lan.address, fingerprint: lan.lan.fingerprint, certificate, token: admin.token, clientId: admin.clientId, clientName: 'phone' });
  const out: string[] = [];
  const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => out.push(l), env: {}, interrupted: new Promise<void>(() => {}) };
  t.equal(await runHubctl(['clients', '--config', config], io), 0, out.join('\n'));
  const lines = out.join('\n').split('\n');
  t.match(lines[0], /^ID +NAME +SCOPE +CREATED +LAST USED$/);
  t.match(lines.find((l) => l.includes('tablet')), /control +\d+ s ago +\d+ (s|min) ago$/, 'the table shows both times');
});
