// What we add around each herdsman controller's life, in one place: its files checked before it
// reads them and kept durable, owner-only and copied after it writes them (herdsman-files.ts,
// herdsman-durability.ts); and, once it runs, the stick's own reset indications and the frames
// the serial parser drops (coordinator-reset-watch.ts, serial-drops.ts), which herdsman ignores.
import { watchCoordinatorResets } from './coordinator-reset-watch.js';
import { describeError } from './errors.js';
import { syncAfterHerdsmanBackup, syncAfterHerdsmanDatabaseWrite } from './herdsman-durability.js';
import { HerdsmanFiles } from './herdsman-files.js';
import { SerialDropCounter, watchSerialDrops } from './serial-drops.js';
import type { HerdsmanFileName, SerialDropStats, Timers, ZigbeeLogger, ZigbeeNetworkEvents } from './types.js';

export interface ControllerGuardsOptions {
  /** herdsman's data directory. */
  dir: string;
  /** Good copies kept of each file. */
  keepCopies: number;
  adapter: string;
  log: ZigbeeLogger;
  timers: Timers;
  now: () => number;
  emit: <K extends 'herdsman_files_repaired' | 'coordinator_reset'>(kind: K, payload: ZigbeeNetworkEvents[K]) => void;
}

export class ControllerGuards {
  private readonly files: HerdsmanFiles;
  private readonly serialDrops: SerialDropCounter;
  private readonly watches: Array<() => void> = [];

  constructor(private readonly o: ControllerGuardsOptions) {
    this.files = new HerdsmanFiles({ dir: o.dir, keep: o.keepCopies, log: o.log, now: o.now });
    this.serialDrops = new SerialDropCounter({ log: o.log, timers: o.timers });
  }

  /** Before the controller is created: a power cut may have torn the files herdsman refuses to start on. */
  beforeStart(): void {
    try {
      const repairs = this.files.repair();
      if (repairs.length > 0) this.o.emit('herdsman_files_repaired', { repairs });
    } catch (error) {
      // herdsman then says what it cannot read; our failure must not hide that.
      this.o.log.error('could not check herdsman\'s files', { error: describeError(error) });
    }
  }

  /** Right after the controller is created (its start may write a backup). */
  created(controller: object): void {
    syncAfterHerdsmanBackup(controller, (file) => this.secure(file));
  }

  /** After a successful start (herdsman's own resets of the stick are over). */
  started(controller: object): void {
    syncAfterHerdsmanDatabaseWrite(controller, (file) => this.secure(file));
    this.keepFiles();
    const resetWatch = watchCoordinatorResets(controller, (reason) => {
      this.o.log.warn('coordinator reset by itself (resetInd): it lost its registered endpoints', { reason });
      this.o.emit('coordinator_reset', { reason });
    });
    const dropWatch = watchSerialDrops(controller, (dropped) => this.serialDrops.record(dropped));
    if (!resetWatch || !dropWatch) this.o.log.debug('this adapter offers no reset indication or serial drops to watch', { adapter: this.o.adapter });
    for (const unwatch of [resetWatch, dropWatch]) if (unwatch) this.watches.push(unwatch);
  }

  /** Before the controller stops: nothing it does while stopping is a reset or a drop. */
  stopping(): void {
    for (const unwatch of this.watches.splice(0)) unwatch();
    this.serialDrops.stop();
  }

  /** After a clean stop: herdsman just wrote both files. */
  stopped(): void {
    this.keepFiles();
  }

  serialDropStats(): SerialDropStats {
    return this.serialDrops.stats();
  }

  private secure(file: HerdsmanFileName): void {
    try {
      this.files.secure([file]);
    } catch (error) {
      this.o.log.warn('could not sync herdsman file', { file, error: describeError(error) });
    }
  }

  /** Owner-only, on disk, and a good copy kept: a failure here is logged, never fatal. */
  private keepFiles(): void {
    try {
      this.files.secure();
      this.files.keepGoodCopies();
    } catch (error) {
      this.o.log.warn('could not keep a good copy of herdsman\'s files', { error: describeError(error) });
    }
  }
}
