/**
 * Building a dialect's schedule from pieces (docs/dialects.md): the Hugging Face and Optax
 * readers describe a schedule as registry-kind pieces at integer begins; one piece at 0 is
 * the schedule itself (its source recorded beside it), more become a Sequence carrying the
 * source. Also the exact helpers both need (the next double down, an exact product test).
 */
import { ef, twoProd } from '../schedules/exact.ts';
import { Sequence, type ScheduleSource } from '../schedules/sequence.ts';
import { createSchedule, type Schedule, type ScheduleKind } from '../schedules/registry.ts';
import { withSource } from './common.ts';

/** A registry-kind schedule serving steps from `begin` (evaluated at t − begin). */
export interface Piece {
  readonly begin: number;
  readonly schedule: Schedule;
}

/**
 * A registry-kind schedule by kind name (the readers check every value first, so the
 * constructor's own checks do not fire on what they pass).
 */
export function make(kind: string, config: Record<string, unknown>): Schedule {
  return createSchedule(kind as ScheduleKind, config as never);
}

/** The pieces moved to `offset`, those beginning at or after `end` dropped. */
export function shifted(pieces: readonly Piece[], offset: number, end = Infinity): Piece[] {
  return pieces.filter((p) => offset + p.begin < end).map((p) => ({ begin: offset + p.begin, schedule: p.schedule }));
}

/** Joins pieces (begins strictly increasing from 0) into the schedule a reader returns. */
export function assemble(pieces: readonly Piece[], source: ScheduleSource): Schedule | Sequence {
  const only = pieces[0];
  if (pieces.length === 1 && only !== undefined && only.begin === 0) return withSource(only.schedule, source);
  return new Sequence({ pieces: pieces.map((p) => ({ begin: p.begin, schedule: p.schedule })), source });
}

const BUF = new DataView(new ArrayBuffer(8));

/** The largest double below a positive finite x. */
export function nextDown(x: number): number {
  BUF.setFloat64(0, x);
  BUF.setBigUint64(0, BUF.getBigUint64(0) - 1n);
  return BUF.getFloat64(0);
}

/** fl(a / b) rounded toward zero (a, b > 0 finite): the largest double q with q·b ≤ a exactly. */
export function quotientDown(a: number, b: number): number {
  let q = a / b;
  twoProd(q, b);
  if (ef.hi > a || (ef.hi === a && ef.lo > 0)) q = nextDown(q);
  return q;
}

/** True when the real product a·b equals c exactly. */
export function productIs(a: number, b: number, c: number): boolean {
  twoProd(a, b);
  return ef.hi === c && ef.lo === 0;
}
