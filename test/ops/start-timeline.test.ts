// The ready line's start_ms: each phase's length from the process's start, and the total.
import t from 'tap';
import { StartTimeline } from '../../daemon/ops/start-timeline.js';

t.test('phases are the time between marks; the first ends where our code began', async (t) => {
  let now = 0;
  const timeline = new StartTimeline(() => now, 41.6);
  now = 100.2;
  timeline.mark('modules');
  now = 100.9;
  timeline.mark('config');
  now = 450;
  timeline.mark('zigbee_start');
  t.same(timeline.summary(), { node_start: 42, modules: 59, config: 1, zigbee_start: 349, total: 450 });
});
