// Interviews the network runs itself (herdsman runs the first one, at join): a person's
// re-interview and the automatic retries of interviews that failed or stayed incomplete.
// Each one reports through the translator and the device's queue, exactly like herdsman's
// own, so the rest of the daemon sees the same device_interview events, in order, whoever
// started the interview.
import type { DeviceDescription, Ieee } from '../domain/events.js';
import type { DefinitionCache } from './definition-cache.js';
import { describeDevice, interviewStatusOf, listensAllTheTime } from './device-description.js';
import { describeError, ZigbeeError } from './errors.js';
import type { HerdsmanEventTranslator } from './herdsman-event-translator.js';
import type { HerdsmanDevice } from './herdsman-types.js';
import { InterviewRetry, type InterviewOutcome } from './interview-retry.js';
import type { Clock, Timers, ZigbeeLogger, ZigbeeNetworkEvents } from './types.js';

const GEN_BASIC = 0x0000;

export interface DeviceInterviewerOptions {
  /** The device in the started network, or undefined (unknown, or the network is stopped). */
  lookup: (ieee: Ieee) => HerdsmanDevice | undefined;
  translator: () => HerdsmanEventTranslator | undefined;
  definitions: DefinitionCache;
  maxRetries: number;
  retryDelaysMs: readonly number[];
  clock: Clock;
  timers: Timers;
  log: ZigbeeLogger;
}

/**
 * herdsman calls an interview successful even when the Basic cluster never answered; without
 * a model id the converters can only offer their generic definition, so it is worth another try.
 */
export function interviewOutcome(event: ZigbeeNetworkEvents['device_interview']): InterviewOutcome | undefined {
  if (event.status === 'failed') return 'failed';
  if (event.status !== 'successful') return undefined;
  const device = event.device;
  const hasBasic = device?.endpoints.some((ep) => ep.inClusters.includes(GEN_BASIC)) ?? false;
  return hasBasic && !device?.modelId ? 'incomplete' : 'successful';
}

export class DeviceInterviewer {
  private readonly retries: InterviewRetry;

  constructor(private readonly o: DeviceInterviewerOptions) {
    this.retries = new InterviewRetry({
      maxRetries: o.maxRetries,
      delaysMs: o.retryDelaysMs,
      clock: o.clock,
      timers: o.timers,
      log: o.log,
      listens: (ieee) => listensAllTheTime(o.lookup(ieee)),
      retry: (ieee) => this.retry(ieee),
    });
  }

  /** Fed with the network's own device_interview events. */
  onInterviewEvent(event: ZigbeeNetworkEvents['device_interview']): void {
    const outcome = interviewOutcome(event);
    if (outcome === 'incomplete') this.o.log.warn('interview incomplete: the device did not tell its model id', { ieee: event.ieee });
    if (outcome) this.retries.onOutcome(event.ieee, outcome);
  }

  onSeen(ieee: Ieee): void {
    this.retries.onSignOfLife(ieee);
  }

  forget(ieee: Ieee): void {
    this.retries.forget(ieee);
  }

  /** After start: devices whose interview failed, stayed incomplete or was cut short get retries. */
  resumeUnfinished(devices: Iterable<HerdsmanDevice>): void {
    for (const device of devices) {
      const status = interviewStatusOf(device);
      if (status === 'in_progress') continue;
      const event = { ieee: device.ieeeAddr, status, device: describeDevice(device) };
      const outcome = status === 'successful' ? interviewOutcome(event) : 'failed';
      if (outcome !== 'successful') this.retries.onOutcome(device.ieeeAddr, outcome ?? 'failed');
    }
  }

  /** A person's request: a full interview now (cached descriptors ignored), a fresh retry budget. */
  async reinterview(device: HerdsmanDevice): Promise<DeviceDescription> {
    if (interviewStatusOf(device) === 'in_progress') {
      throw new ZigbeeError('device_busy', `${device.ieeeAddr} is being interviewed right now; ask again when that interview has ended`);
    }
    this.retries.reset(device.ieeeAddr);
    return this.interviewNow(device, true);
  }

  stop(): void {
    this.retries.stop();
  }

  private async retry(ieee: Ieee): Promise<boolean> {
    const device = this.o.lookup(ieee);
    if (!device) {
      this.retries.forget(ieee);
      return false;
    }
    // herdsman re-interviews a failed device itself when it rejoins; its result will come.
    if (interviewStatusOf(device) === 'in_progress') return false;
    // Only what is missing is asked again: a sleepy device's short awake window is not spent
    // on descriptors we already have.
    await this.interviewNow(device, false).catch(() => {
      // Reported as a 'failed' interview event, which schedules the next retry.
    });
    return true;
  }

  private async interviewNow(device: HerdsmanDevice, ignoreCache: boolean): Promise<DeviceDescription> {
    const translator = this.o.translator();
    if (!translator) throw new ZigbeeError('not_started', 'the Zigbee coordinator is not available (not started yet, or lost and being reopened)');
    // Started before anything is awaited, so that herdsman sees the interview running at once.
    const interview = device.interview(ignoreCache);
    interview.catch(() => undefined); // handled below, after the 'started' event
    await translator.reportInterview(device, 'started');
    try {
      await interview;
    } catch (error) {
      await translator.reportInterview(device, 'failed');
      throw new ZigbeeError('device_error', `interview of ${device.ieeeAddr} failed: ${describeError(error)}`, { cause: error });
    }
    await translator.reportInterview(device, 'successful');
    return describeDevice(device, this.o.definitions.get(device.ieeeAddr));
  }
}
