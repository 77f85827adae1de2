// What the group commit tells the outbox's staging, its bounds and the storage-trouble watch at
// each step of a commit (write-batch.ts WriteBatchHooks). One wiring, used by openStore and by
// tests that build the parts by hand, so neither drifts from the other.
import type { Outbox } from './outbox.js';
import type { OutboxStaging } from './outbox-staging.js';
import type { StorageTrouble } from './storage-trouble.js';
import type { WriteBatchHooks } from './write-batch.js';

export interface CommitHookParts {
  outbox: Outbox;
  trouble: StorageTrouble;
}

/**
 * `parts` is read at each call, not now: the outbox and the trouble watch are built after the
 * write batch that calls these hooks. `resetCaches` drops what other parts cached of writes a
 * lost transaction took back.
 */
export function commitHooks(staging: OutboxStaging, parts: () => CommitHookParts, resetCaches: () => void = () => {}): WriteBatchHooks {
  return {
    beforeCommit: () => parts().outbox.enforceBounds(),
    afterCommitStaged: () => {
      staging.commitStaged();
      parts().trouble.committed();
    },
    afterCommit: (commits = 1) => staging.durable(commits),
    afterRollback: (error: Error, writes: number) => {
      resetCaches();
      const lost = staging.takeUncommitted();
      parts().outbox.reload();
      staging.rolledBack(error);
      parts().trouble.failed(error, lost, writes);
    },
    afterWrite: () => staging.handOutUncommitted(),
    writeMark: (): number => staging.uncommittedMark(),
    writeUndone: (mark: number) => staging.forgetUncommittedAfter(mark),
  };
}
