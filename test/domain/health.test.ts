import t from 'tap';
import { HealthBoard, type ComponentHealth } from '../../daemon/domain/health.js';

t.test('a change of status is emitted once; repeats are not', async (t) => {
  let now = 1000;
  const board = new HealthBoard(() => now);
  const seen: ComponentHealth[] = [];
  board.on('changed', (entry) => seen.push(entry));
  board.report('store', 'ok');
  board.report('store', 'ok');
  now = 2000;
  board.report('store', 'bad', 'read-only file system');
  board.report('store', 'bad', 'read-only file system');
  board.report('coordinator', 'degraded', 'stick reset');
  t.same(seen.map((e) => [e.component, e.status, e.reason]), [
    ['store', 'ok', undefined],
    ['store', 'bad', 'read-only file system'],
    ['coordinator', 'degraded', 'stick reset'],
  ]);
  t.equal(board.get('store')?.since, 2000);
  t.equal(board.overall(), 'bad');
  board.report('store', 'ok', 'ignored when ok');
  t.equal(board.get('store')?.reason, undefined);
  t.equal(board.overall(), 'degraded');
});

t.test('a throwing listener does not stop the report', async (t) => {
  const errors: unknown[] = [];
  const board = new HealthBoard(Date.now, (error) => errors.push(error));
  board.on('changed', () => {
    throw new Error('listener broke');
  });
  board.report('cloud', 'bad', 'unreachable');
  t.equal(board.get('cloud')?.status, 'bad');
  t.equal(errors.length, 1);
});
