// The reference cloud as a process: prints where it listens, prints events readably, and
// takes commands as JSON lines on its control port.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';

const CLI = fileURLToPath(new URL('../../scripts/reference-cloud/cli.ts', import.meta.url));
const IEEE = '0x00124b0001abcd01';

t.test('cli: listen line, readable events, commands over the control port', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--control-port', '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, REFERENCE_CLOUD_TOKEN: 'cli-token-77' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const stdout: string[] = [];
  const waiters: Array<{ match: RegExp; resolve: (line: string) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const nextLine = (match: RegExp) =>
    new Promise<string>((resolve) => {
      const seen = stdout.find((line) => match.test(line));
      if (seen) resolve(seen);
      else waiters.push({ match, resolve });
    });

  const { listening } = JSON.parse(await nextLine(/^\{"listening"/)) as { listening: { port: number; controlPort: number; token: boolean } };
  t.equal(listening.token, true, 'token required (from the environment)');

  const { link, outbox } = createLink(listening.port, { credentials: { insecureLoopback: true, token: 'cli-token-77' } });
  t.teardown(() => link.stop());
  outbox.append(stateEvent(IEEE, 21.5));
  link.start();
  t.match(await nextLine(/state_changed/), /^\[gw-test #1 [\d:.]+\] state_changed 0x00124b0001abcd01 \{"temperature":21.5\} \(changed: temperature; 2 keys in all\)$/);

  const control = connect(listening.controlPort, '127.0.0.1');
  t.teardown(() => control.destroy());
  const replies = createInterface({ input: control });
  const reply = new Promise<string>((resolve) => replies.once('line', resolve));
  control.write(JSON.stringify({ ref: 'r1', op: 'command', gateway: 'gw-test', command: { id: 'c-1', kind: 'permit_join', seconds: 30 } }) + '\n');
  t.same(JSON.parse(await reply), { ref: 'r1', ok: true, result: { kind: 'command_result', commandId: 'c-1', ok: true } });

  const disconnected = nextLinkEvent(link, 'disconnected');
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM shuts down cleanly');
  await disconnected;
});
