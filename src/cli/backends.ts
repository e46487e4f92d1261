/**
 * Backends of the CLI. Each turns (schedule, steps) into values plus a description
 * of what produced them. Only `reference` exists here (the f64 reference, `at` /
 * `fill`); GPU/CPU evaluator backends (`auto`, `webgpu`, `cpu`, through
 * `createEvaluator` of the public API) plug in by adding an entry to BACKENDS.
 */
import type { Schedule, Steps } from '../index.ts';

/** What a backend returns. */
export interface BackendResult {
  /** The backend that produced the values (e.g. 'reference', or 'cpu' after a GPU fallback). */
  readonly backend: string;
  /** The device, in words. */
  readonly device: string;
  /** One value per step. */
  readonly values: Float64Array | Float32Array;
}

/** A backend of the CLI. */
export interface CliBackend {
  readonly description: string;
  evaluate(schedule: Schedule, steps: Steps): Promise<BackendResult>;
}

/** The f64 reference (keras-schedules.md Part A.1): exact within 1e-12 relative. */
const reference: CliBackend = {
  description: 'the exact f64 reference on the CPU',
  evaluate(schedule, steps) {
    return Promise.resolve({ backend: 'reference', device: 'cpu (f64 reference)', values: schedule.fill(steps) });
  },
};

/** Backends by name (the value of --backend). */
export const BACKENDS: Readonly<Record<string, CliBackend>> = { reference };

/** The default --backend. */
export const DEFAULT_BACKEND = 'reference';
