// The process lifecycle in real child processes: real signals, real exits, real exit codes.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/lifecycle-child.ts', import.meta.url));
const FIXTURE_SECRET = 'fixture-secret-token-0123';

interface Child {
  proc: ChildProcess;
  /** Resolves when the child has printed this marker line on stdout. */
  marker(name: string): Promise<void>;
  /** Resolves when stderr (the log) contains this text. */
  logged(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  markers(): string[];
  /** The crash marker the child's crash handler wrote, parsed; undefined when none. */
  crashMarker(): Record<string, unknown> | undefined;
}

function startChild(t: Test, mode: string, graceMs = 60_000): Child {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-lifecycle-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const markerFile = path.join(dir, 'markers');
  fs.writeFileSync(markerFile, '');
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, mode, markerFile, String(graceMs)], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });

  const seen = new Set<string>();
  const waiters: Array<{ done: () => boolean; resolve: () => void }> = [];
  let stderr = '';
  const check = () => {
    for (const w of [...waiters]) {
      if (!w.done()) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
    seen.add(line);
    check();
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('close', (code, signal) => {
      check();
      resolve({ code, signal, stderr });
    }),
  );
  const waitFor = (done: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      waiters.push({ done, resolve });
      // Not a timing assertion: if the child dies first, fail with its log instead of hanging.
      void exited.then(() => (done() ? resolve() : reject(new Error(`child exited before ${what}; stderr:\n${stderr}`))));
    });
  return {
    proc,
    marker: (name) => waitFor(() => seen.has(name), `marker ${name}`),
    logged: (text) => waitFor(() => stderr.includes(text), `log ${JSON.stringify(text)}`),
    exited,
    markers: () => fs.readFileSync(markerFile, 'utf8').split('\n').filter(Boolean),
    crashMarker: () => (fs.existsSync(`${markerFile}.crash`) ? (JSON.parse(fs.readFileSync(`${markerFile}.crash`, 'utf8')) as Record<string, unknown>) : undefined),
  };
}

// Every case runs its own child in its own temp dir and waits on it (markers, exit), not on
// timers: they run three at a time (tap buffers each one's output).
t.jobs = 3;

t.test('SIGTERM: the daemon is stopped in order and the process exits 0', async (t) => {
  const child = startChild(t, 'normal');
  await child.marker('started');
  child.proc.kill('SIGTERM');
  const { code, signal, stderr } = await child.exited;
  t.equal(signal, null, 'exited by itself, not killed by the signal');
  t.equal(code, 0);
  t.same(child.markers(), ['started', 'stopping', 'stopped']);
  t.match(stderr, '"reason":"received SIGTERM"');
});

t.test('SIGINT behaves the same', async (t) => {
  const child = startChild(t, 'normal');
  await child.marker('started');
  child.proc.kill('SIGINT');
  t.equal((await child.exited).code, 0);
  t.same(child.markers(), ['started', 'stopping', 'stopped']);
});

t.test('a second signal during a slow stop forces the exit', async (t) => {
  const child = startChild(t, 'hang-stop');
  await child.marker('started');
  child.proc.kill('SIGTERM');
  await child.marker('stopping');
  child.proc.kill('SIGINT');
  const { code, stderr } = await child.exited;
  t.equal(code, 130, '128 + SIGINT');
  t.same(child.markers(), ['started', 'stopping'], 'the stop never finished');
  t.match(stderr, 'second SIGINT during shutdown: exiting now');
});

t.test('a stop that outlasts the grace period is cut short with a non-zero exit', async (t) => {
  const child = startChild(t, 'hang-stop', 300);
  await child.marker('started');
  child.proc.kill('SIGTERM');
  const { code, stderr } = await child.exited;
  t.equal(code, 70);
  t.same(child.markers(), ['started', 'stopping']);
  t.match(stderr, 'shutdown did not finish in time');
});

t.test('an uncaught exception is logged (redacted), the daemon stopped in order, and the exit is non-zero', async (t) => {
  const child = startChild(t, 'crash');
  const { code, stderr } = await child.exited;
  t.equal(code, 1);
  t.same(child.markers(), ['started', 'stopping', 'stopped']);
  t.match(stderr, 'uncaught exception; shutting down');
  t.match(stderr, 'boom while holding [redacted]');
  t.notMatch(stderr, FIXTURE_SECRET, 'the secret is not in the log, not even in the stack');
});

t.test('an unhandled rejection is treated like an uncaught exception', async (t) => {
  const child = startChild(t, 'reject');
  const { code, stderr } = await child.exited;
  t.equal(code, 1);
  t.same(child.markers(), ['started', 'stopping', 'stopped']);
  t.match(stderr, 'unhandled promise rejection; shutting down');
  t.match(stderr, 'nobody awaited this');
  t.equal(child.crashMarker(), undefined, 'not a device failure: no crash marker');
});

t.test("an unhandled rejection from a device's handling is counted against the device and the hub keeps running", async (t) => {
  const child = startChild(t, 'device-reject');
  await child.marker('still-running');
  t.ok(child.markers().includes('device-failure-counted'), 'the failure went to the device');
  child.proc.kill('SIGTERM');
  const { code, stderr } = await child.exited;
  t.equal(code, 0, 'stopped only by the SIGTERM, cleanly');
  t.match(stderr, "unhandled promise rejection in a device's handling; counted against the device, still running");
  t.match(stderr, '0x00124b00000000aa');
  t.equal(child.crashMarker(), undefined, 'no crash marker');
});

t.test('an uncaught exception inside a device\'s handling stops the process and leaves a marker naming the device', async (t) => {
  const child = startChild(t, 'device-crash');
  const { code, stderr } = await child.exited;
  t.equal(code, 1);
  t.same(child.markers(), ['started', 'stopping', 'stopped'], 'still an orderly stop');
  t.match(stderr, 'crash while handling a device: it will be quarantined at the next start');
  t.match(child.crashMarker(), { ieee: '0x00124b00000000aa', stage: 'message', error: 'this.manufacturerName?.startsWith is not a function' });
});

t.test('a signal during start waits for the start to finish, then stops', async (t) => {
  const child = startChild(t, 'slow-start');
  await child.marker('starting');
  child.proc.kill('SIGTERM');
  await child.logged('shutting down once start has finished');
  child.proc.stdin!.write('go\n');
  const { code } = await child.exited;
  t.equal(code, 0);
  t.same(child.markers(), ['starting', 'started', 'stopping', 'stopped']);
});

t.test('a failing start or stop exits non-zero with the reason in the log', async (t) => {
  const startFails = startChild(t, 'start-fails');
  const started = await startFails.exited;
  t.equal(started.code, 1);
  t.match(started.stderr, 'adapter did not answer');
  t.same(startFails.markers(), []);

  const stopFails = startChild(t, 'stop-fails');
  await stopFails.marker('started');
  stopFails.proc.kill('SIGTERM');
  const stopped = await stopFails.exited;
  t.equal(stopped.code, 1);
  t.match(stopped.stderr, 'database busy');
});
