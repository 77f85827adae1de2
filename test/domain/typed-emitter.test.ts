import t from 'tap';
import { TypedEmitter } from '../../daemon/domain/typed-emitter.js';

interface Events {
  ping: { n: number };
  pong: string;
}

t.test('delivers each payload to the listeners of its kind only', async (t) => {
  const emitter = new TypedEmitter<Events>(() => t.fail('no listener throws'));
  const pings: number[] = [];
  const pongs: string[] = [];
  emitter.on('ping', (p) => pings.push(p.n));
  emitter.on('pong', (s) => pongs.push(s));
  emitter.emit('ping', { n: 1 });
  emitter.emit('pong', 'a');
  t.same(pings, [1]);
  t.same(pongs, ['a']);
});

t.test('a throwing listener is reported and the others still run', async (t) => {
  const failures: Array<[keyof Events, unknown]> = [];
  const emitter = new TypedEmitter<Events>((kind, error) => failures.push([kind, error]));
  const boom = new Error('boom');
  const seen: number[] = [];
  emitter.on('ping', () => {
    throw boom;
  });
  emitter.on('ping', (p) => seen.push(p.n));
  emitter.emit('ping', { n: 7 });
  t.same(seen, [7]);
  t.same(failures, [['ping', boom]]);
});

t.test('an emit reaches the listeners subscribed when it began, once each', async (t) => {
  const emitter = new TypedEmitter<Events>(() => t.fail('no listener throws'));
  const calls: string[] = [];
  let offB = (): void => undefined;
  emitter.on('pong', (s) => {
    calls.push(`a${s}`);
    offB();
  });
  offB = emitter.on('pong', (s) => calls.push(`b${s}`));
  // Unsubscribes and subscribes again on each emit: without a snapshot this never ends.
  let offC = (): void => undefined;
  const c = (s: string): void => {
    calls.push(`c${s}`);
    offC();
    offC = emitter.on('pong', c);
  };
  offC = emitter.on('pong', c);
  emitter.emit('pong', '1');
  emitter.emit('pong', '2');
  t.same(calls, ['a1', 'b1', 'c1', 'a2', 'c2']);
});
