// Sends the snapshot the hub owes the platform (store.snapshots: owed after any gap or
// resync_requested) as soon as it can be delivered: when the cloud link connects, and after a
// commit while it is connected (a gap written while online, e.g. after storage trouble).
import type { Store } from '../store/index.js';

export interface OwedSnapshotLink {
  on(event: 'connected', listener: () => void): () => void;
  status(): { state: string };
}

export function sendOwedSnapshots(
  store: Pick<Store, 'snapshots' | 'outbox'>,
  link: OwedSnapshotLink,
  log: { info(message: string, fields?: Record<string, unknown>): void; warn(message: string, fields?: Record<string, unknown>): void },
): () => void {
  const send = () => {
    try {
      const queued = store.snapshots.queueOwed();
      if (queued) log.info('snapshot queued for the cloud', { snapshotId: queued.snapshotId, devices: queued.devices, groups: queued.groups });
    } catch (error) {
      log.warn('could not queue the owed snapshot; it stays owed', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const offConnected = link.on('connected', send);
  const offAppend = store.outbox.onAppend(() => {
    if (link.status().state === 'connected') send();
  });
  return () => {
    offConnected();
    offAppend();
  };
}
