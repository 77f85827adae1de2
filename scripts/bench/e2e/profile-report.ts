// Reads the CPU profile a daemon phase left behind (node --cpu-prof writes it at exit, named
// after the process id) and cuts it to the phase's measured window: where the CPU of one
// report goes, by package and daemon folder.
import fs from 'node:fs';
import path from 'node:path';
import { summarize } from '../cpu-profile-summary.js';
import type { PhaseFigures } from './daemon-phase.js';

export interface ProfileShare {
  name: string;
  usPerReport: number;
  percent: number;
}

export interface PhaseProfile {
  phase: string;
  file: string;
  /** The measured window on the profile's clock, and the reports in it: for cpu-profile-summary.ts. */
  windowUs: [number, number];
  reports: number;
  shares: ProfileShare[];
}

export function profileOfPhase(dir: string, phase: PhaseFigures, top = 12): PhaseProfile | undefined {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const file = fs.readdirSync(dir).find((f) => f.startsWith('CPU.') && f.includes(`.${phase.daemonPid}.0.`));
  if (!file) return undefined;
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const { totalMs, byCategory } = summarize(profile, phase.windowUs[0], phase.windowUs[1]);
  const shares = [...byCategory.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({
      name,
      usPerReport: Math.round(((ms * 1000) / Math.max(phase.reports, 1)) * 10) / 10,
      percent: Math.round((ms / totalMs) * 1000) / 10,
    }));
  return { phase: phase.phase, file: path.join(dir, file), windowUs: phase.windowUs, reports: phase.reports, shares };
}
