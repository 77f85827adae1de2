// Clearing a Yale lock's PIN from the cloud as Zigbee2MQTT does it: pin_code: {user, pin_code:
// null}. The daemon (a real process) passes the null to the lock's converter, which sends
// clearPinCode; the simulated lock forgets the user and reports the programming event.
import t from 'tap';
import { GATEWAY, joinDevices, startStack } from './stack.js';

t.test('a PIN set, then cleared with a nested null, on the simulated Yale lock', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const lock = (await joinDevices(stack, ['yale-lock'])).get('yale-lock')!;
  const send = (state: Record<string, unknown>) => stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: lock, state } as never, 30_000);
  const action = (name: string, afterSeq: number) =>
    stack.waitForCloud((e) => e.seq > afterSeq && e.event.kind === 'state_changed' && e.event.ieee === lock && e.event.state['action'] === name && e.event.changed.includes('action'), 30_000);

  const set = await send({ pin_code: { user: 1, pin_code: 1234 } });
  t.ok(set.ok, `PIN set (${set.error ?? ''})`);
  const added = await action('pin_code_added', 0);

  const cleared = await send({ pin_code: { user: 1, pin_code: null } });
  t.ok(cleared.ok, `PIN cleared (${cleared.error ?? ''})`);
  const deleted = await action('pin_code_deleted', added.seq);
  t.match(deleted.event, { state: { action_user: 1, action_source_name: 'rf' } }, 'the lock says user 1\'s PIN is gone');

  t.match(await send({ pin_code: null }), { ok: false, error: /invalid: set_state state\.pin_code must be a boolean, number, string or object \(null only inside one\)/ });
});
