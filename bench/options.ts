/** The suite's sizes, repetitions and time limits: a quick smoke run, or the full run. */
import { SCHEDULE_KINDS } from '../src/index.ts';
import { GROUPS, type Group, type SuiteOptions } from './types.ts';

export function defaultOptions(quick: boolean, groups: ReadonlySet<Group> = new Set(GROUPS)): SuiteOptions {
  return quick
    ? {
        groups,
        kinds: SCHEDULE_KINDS,
        log2Sizes: [16, 18, 20],
        sweeps: [
          [100, 1e4],
          [1000, 1e3],
          [10000, 1e2],
        ],
        peerLog2: 18,
        selfTestLog2: 18,
        budgetMs: 250,
        minReps: 3,
        maxReps: 5,
        sampleCount: 256,
        slowRunMs: 1000,
        maxRunMs: 4000,
        deadlineMs: 90_000,
      }
    : {
        groups,
        kinds: SCHEDULE_KINDS,
        log2Sizes: [16, 18, 20, 22, 24, 26],
        sweeps: [
          [100, 1e5],
          [1000, 1e4],
          [10000, 1e3],
        ],
        peerLog2: 20,
        selfTestLog2: 20,
        budgetMs: 1200,
        minReps: 3,
        maxReps: 11,
        sampleCount: 1024,
        slowRunMs: 1500,
        maxRunMs: 8_000,
        deadlineMs: 270_000,
      };
}
