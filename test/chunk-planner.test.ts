import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkPlanError, iterateChunks, kernelJob, planChunks, type Chunk, type ChunkPlanInput, type PlannerLimits } from '../src/gpu/chunk-planner.ts';

const REAL: PlannerLimits = {
  maxStorageBufferBindingSize: 2 ** 30,
  maxBufferSize: 2 ** 40,
  maxComputeWorkgroupsPerDimension: 65535,
  minStorageBufferOffsetAlignment: 256,
};
const TINY: PlannerLimits = {
  maxStorageBufferBindingSize: 1024,
  maxBufferSize: 2 ** 40,
  maxComputeWorkgroupsPerDimension: 3,
  minStorageBufferOffsetAlignment: 256,
};

/** Every invariant of a plan; `simulate` also runs the kernel's index arithmetic per element. */
function checkPlan(input: ChunkPlanInput, chunks: readonly Chunk[], simulate: boolean): void {
  const es = input.elementSize ?? 4;
  const first = input.first ?? 0;
  const total = input.total ?? input.rows * input.cols - first;
  const base = input.baseByteOffset ?? 0;
  const L = input.limits;
  const range = { start: 7, stride: 3 };
  let next = first;
  for (const c of chunks) {
    expect(c.index).toBe(next); // contiguous, in order: covers the window exactly once
    expect(c.count).toBeGreaterThan(0);
    expect(c.row0 * input.cols + c.col0).toBe(c.index);
    expect(c.col0).toBeLessThan(input.cols);
    expect(c.outByteOffset % L.minStorageBufferOffsetAlignment).toBe(0);
    expect(c.outByteOffset + c.outOffset * es).toBe(base + (c.index - first) * es);
    expect(c.outBindingSize).toBe((c.outOffset + c.count) * es);
    expect(c.outBindingSize).toBeLessThanOrEqual(L.maxStorageBufferBindingSize);
    expect(c.outByteOffset + c.outBindingSize).toBeLessThanOrEqual(L.maxBufferSize);
    expect(c.groupsX).toBeLessThanOrEqual(L.maxComputeWorkgroupsPerDimension);
    expect(c.groupsY).toBeLessThanOrEqual(L.maxComputeWorkgroupsPerDimension);
    expect(c.groupsX * c.groupsY * input.workgroupSize).toBeGreaterThanOrEqual(c.count);
    expect((c.groupsX * c.groupsY - 1) * input.workgroupSize).toBeLessThan(c.count + c.groupsX * input.workgroupSize);
    if (input.maxChunkElements !== undefined) expect(c.count).toBeLessThanOrEqual(input.maxChunkElements);
    if (input.stepsWindow) {
      expect(c.col0 + c.count).toBeLessThanOrEqual(input.cols);
      expect(c.stepsByteOffset! % L.minStorageBufferOffsetAlignment).toBe(0);
      expect(c.stepsByteOffset! + c.stepsOffset! * 4).toBe(c.col0 * 4);
      expect(c.stepsBindingSize).toBeLessThanOrEqual(L.maxStorageBufferBindingSize);
    }
    if (simulate) {
      // Run the kernel's arithmetic (docs/design.md Job) in u32 for every invocation.
      for (const r of [range, undefined]) {
        const job = kernelJob(c, input.cols, r);
        expect(job.groupsX).toBe(c.groupsX);
        let bad = '';
        for (let i = 0; i < c.count && !bad; i++) {
          const linear = (job.col0 + i) >>> 0;
          const row = job.row0 + Math.floor(linear / job.cols);
          const col = linear % job.cols;
          const outElem = c.outByteOffset / es + job.outOffset + i;
          const want = c.index + i;
          const wantRow = Math.floor(want / input.cols);
          const wantCol = want - wantRow * input.cols;
          if (linear !== job.col0 + i) bad = 'u32 wrap';
          else if (row !== wantRow) bad = `row ${row} ≠ ${wantRow}`;
          else if (outElem !== base / es + (want - first)) bad = `out ${outElem}`;
          else if (r && job.start + col * job.stride !== r.start + wantCol * r.stride) bad = `step at col ${col}`;
          else if (!r && c.stepsOffset !== undefined && c.stepsByteOffset! / 4 + col !== wantCol) bad = `windowed col ${col}`;
          else if (!r && c.stepsOffset === undefined && col !== wantCol) bad = `col ${col} ≠ ${wantCol}`;
        }
        expect(bad, `chunk at ${c.index}`).toBe('');
      }
    }
    next = c.index + c.count;
  }
  expect(next).toBe(first + total);
}

describe('chunk planner', () => {
  it('plans one chunk when everything fits', () => {
    const input = { rows: 4, cols: 1000, limits: REAL, workgroupSize: 64 };
    const chunks = planChunks(input);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ index: 0, row0: 0, col0: 0, count: 4000, outByteOffset: 0, outOffset: 0, groupsX: 63, groupsY: 1 });
    checkPlan(input, chunks, true);
  });

  it('splits by the binding size with aligned offsets (1024-byte bindings)', () => {
    const input = { rows: 3, cols: 1000, limits: { ...TINY, maxComputeWorkgroupsPerDimension: 65535 }, workgroupSize: 64 };
    const chunks = planChunks(input);
    expect(chunks.map((c) => c.count)).toEqual([...Array(11).fill(256), 3000 - 11 * 256]);
    checkPlan(input, chunks, true);
  });

  it('splits by the workgroup grid (3 × 3 workgroups)', () => {
    const input = { rows: 2, cols: 700, limits: { ...REAL, maxComputeWorkgroupsPerDimension: 3 }, workgroupSize: 64 };
    const chunks = planChunks(input);
    expect(chunks[0]).toMatchObject({ count: 576, groupsX: 3, groupsY: 3 });
    checkPlan(input, chunks, true);
  });

  it('keeps every chunk one row of workgroups when flat (3 workgroups of 64: 192 elements a chunk)', () => {
    const input = { rows: 2, cols: 700, limits: { ...REAL, maxComputeWorkgroupsPerDimension: 3 }, workgroupSize: 64, flat: true };
    const chunks = planChunks(input);
    expect(chunks.map((c) => c.count)).toEqual([...Array(7).fill(192), 1400 - 7 * 192]);
    for (const c of chunks) expect(c.groupsY).toBe(1);
    checkPlan(input, chunks, true);
  });

  it.each([255, 256, 257, 511, 512, 513])('handles counts around the limits (N = %d)', (cols) => {
    for (const input of [
      { rows: 3, cols, limits: TINY, workgroupSize: 32 },
      { rows: 3, cols, limits: TINY, workgroupSize: 64, baseByteOffset: 12 },
      { rows: 1, cols, limits: TINY, workgroupSize: 1 },
      { rows: 2, cols, limits: TINY, workgroupSize: 64, stepsWindow: true },
    ]) checkPlan(input, planChunks(input), true);
  });

  it('keeps a misaligned base offset inside the first binding', () => {
    const input = { rows: 1, cols: 300, limits: TINY, workgroupSize: 64, baseByteOffset: 1000 };
    const chunks = planChunks(input);
    expect(chunks[0]).toMatchObject({ outByteOffset: 768, outOffset: 58, count: 256 - 58 });
    checkPlan(input, chunks, true);
  });

  it('plans M·N beyond 2^32 elements', () => {
    const input = { rows: 3, cols: 2 ** 31 + 5, limits: REAL, workgroupSize: 256 };
    const chunks = planChunks(input);
    checkPlan(input, chunks, false);
    expect(chunks.length).toBe(3 * 9); // 2^28 floats per 1 GiB binding; cols > 2^31 forbids spanning rows
    for (const c of chunks) {
      expect(c.col0 + c.count).toBeLessThanOrEqual(input.cols);
      const job = kernelJob(c, input.cols, { start: 0, stride: 1 });
      expect(job.col0 + job.count).toBeLessThan(2 ** 32);
      expect(job.start + (job.count - 1)).toBe(c.col0 + c.count - 1);
    }
  });

  it('plans a single huge row of 2^32 steps', () => {
    const input = { rows: 1, cols: 2 ** 32, limits: REAL, workgroupSize: 64 };
    const chunks = planChunks(input);
    expect(chunks).toHaveLength(16);
    checkPlan(input, chunks, false);
    const last = kernelJob(chunks.at(-1)!, input.cols, { start: 0, stride: 1 });
    expect(last.start + last.count - 1).toBe(2 ** 32 - 1);
  });

  it('plans a window of the output (batched readback)', () => {
    const input = { rows: 5, cols: 333, first: 400, total: 700, limits: TINY, workgroupSize: 16 };
    checkPlan(input, planChunks(input), true);
  });

  it('rejects impossible plans with field, value and rule', () => {
    expect(() => planChunks({ rows: 1, cols: 300, limits: { ...TINY, maxBufferSize: 1000 }, workgroupSize: 64 })).toThrow(ChunkPlanError);
    expect(() => planChunks({ rows: 1, cols: 300, limits: { ...TINY, maxBufferSize: 1000 }, workgroupSize: 64 })).toThrow(
      /output bytes = 1200: must be ≤ maxBufferSize = 1000/,
    );
    expect(() => planChunks({ rows: 1, cols: 3, limits: { ...TINY, maxStorageBufferBindingSize: 252 }, workgroupSize: 64 })).toThrow(
      /maxStorageBufferBindingSize/,
    );
    expect(() => planChunks({ rows: 1.5, cols: 3, limits: TINY, workgroupSize: 64 })).toThrow(/rows = 1.5/);
    expect(() => planChunks({ rows: 2, cols: 3, first: 4, total: 3, limits: TINY, workgroupSize: 64 })).toThrow(/first \+ total/);
  });

  it('plans tile chunks of whole rows: the rows on y, lane columns · workgroup size per workgroup on x', () => {
    // 1,000 columns, at most 4 a lane: one workgroup of 64 lanes × 4 columns = 256 < 1,000, so 4 workgroups of 4 columns.
    const input = { rows: 10, cols: 1000, limits: REAL, workgroupSize: 64, flat: true, tileLaneColsMax: 4 };
    expect(planChunks(input)).toEqual([{ index: 0, row0: 0, col0: 0, count: 10_000, outByteOffset: 0, outOffset: 0, outBindingSize: 40_000, laneCols: 4, groupsX: 4, groupsY: 10, groupsZ: 1 }]);
    // 16 columns a lane at most: one workgroup of 64 · 16 = 1,024 ≥ 1,000 columns, 16 columns a lane.
    expect(planChunks({ ...input, tileLaneColsMax: 16 }).map((c) => [c.groupsX, c.laneCols])).toEqual([[1, 16]]);
    // Rows a chunk: at most maxChunkElements / cols (3), the binding (1024 bytes: 2 rows of 100 columns after an offset of 0), the grid's y (3).
    expect(planChunks({ ...input, maxChunkElements: 3500 }).map((c) => [c.row0, c.groupsY])).toEqual([[0, 3], [3, 3], [6, 3], [9, 1]]);
    const small = planChunks({ rows: 7, cols: 100, limits: TINY, workgroupSize: 64, tileLaneColsMax: 4, baseByteOffset: 4 * 30 });
    expect(small.map((c) => [c.row0, c.groupsY, c.outOffset])).toEqual([[0, 2], [2, 2], [4, 2], [6, 1]].map(([r, y]) => [r, y, ((30 + r! * 100) * 4) % 256 / 4]));
    for (const c of small) expect(c.outBindingSize).toBeLessThanOrEqual(1024);
    expect(planChunks({ ...input, tileLaneColsMax: 16, limits: { ...REAL, maxComputeWorkgroupsPerDimension: 3 } }).map((c) => c.groupsY)).toEqual([3, 3, 3, 1]);
    expect(() => planChunks({ ...input, limits: { ...REAL, maxComputeWorkgroupsPerDimension: 3 } })).toThrow(/a tile row needs 4 workgroups/);
    expect(kernelJob(planChunks(input)[0]!, 1000, { start: 7, stride: 3 })).toEqual({ row0: 0, col0: 0, cols: 1000, count: 10_000, start: 7, stride: 3, groupsX: 4, outOffset: 0, laneCols: 4 });
  });

  it('refuses tile chunks over a window that is not whole rows, or a row no chunk holds', () => {
    const input = { rows: 10, cols: 1000, limits: REAL, workgroupSize: 64, tileLaneColsMax: 4 };
    expect(() => planChunks({ ...input, first: 500, total: 1000 })).toThrow(ChunkPlanError);
    expect(() => planChunks({ ...input, total: 1500 })).toThrow(/whole rows/);
    expect(() => planChunks({ ...input, maxChunkElements: 999 })).toThrow(/one row must fit a tile chunk/);
  });

  it('plans nothing for an empty output', () => {
    expect(planChunks({ rows: 0, cols: 10, limits: TINY, workgroupSize: 64 })).toEqual([]);
    expect([...iterateChunks({ rows: 3, cols: 0, limits: TINY, workgroupSize: 64 })]).toEqual([]);
  });

  it('covers every output exactly once within the limits (property)', () => {
    const limits = fc.record({
      maxStorageBufferBindingSize: fc.integer({ min: 65, max: 400 }).map((n) => n * 4),
      maxBufferSize: fc.constant(2 ** 40),
      maxComputeWorkgroupsPerDimension: fc.integer({ min: 1, max: 5 }),
      minStorageBufferOffsetAlignment: fc.constantFrom(4, 16, 64, 256),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 300 }),
        limits,
        fc.constantFrom(1, 3, 32, 64),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        fc.integer({ min: 0, max: 100 }).map((n) => n * 4),
        fc.boolean(),
        fc.boolean(),
        (rows, cols, lim, workgroupSize, maxChunkElements, baseByteOffset, stepsWindow, spanRows) => {
          const input: ChunkPlanInput = {
            rows, cols, limits: lim, workgroupSize, baseByteOffset, stepsWindow, spanRows,
            ...(maxChunkElements === undefined ? {} : { maxChunkElements }),
          };
          checkPlan(input, planChunks(input), true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
