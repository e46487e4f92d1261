/**
 * The CPU jobs' peers (bench/cpu-jobs.ts): Keras's formulas as anyone would write them, for the
 * six Keras kinds, as a naive JavaScript loop (f64 Math, one float32 store per value) and as
 * tfjs ops (float32 tensors, rows of one kind stacked and broadcast against the steps). They
 * never promised the project's bound: the jobs report their max ULP against the exact value.
 * bench/cpu_peers.py writes the same formulas in numpy and JAX.
 */
import type * as TF from '@tensorflow/tfjs-core';

export interface JobRow {
  readonly kind: string;
  readonly config: Record<string, unknown>;
}

type C = Record<string, unknown>;
const num = (c: C, k: string, d = 0): number => (typeof c[k] === 'number' ? (c[k] as number) : d);

/** One row of the naive loop: out[o + i] = the Keras formula at step start + i, i < n. */
export function naiveRow(row: JobRow, start: number, n: number, out: Float32Array, o: number): void {
  const c = row.config;
  const lr0 = num(c, 'initialLearningRate');
  switch (row.kind) {
    case 'CosineDecay': {
      const D = num(c, 'decaySteps'), alpha = num(c, 'alpha'), W = num(c, 'warmupSteps');
      const wt = c.warmupTarget === null || c.warmupTarget === undefined ? null : num(c, 'warmupTarget');
      for (let i = 0; i < n; i++) {
        const s = start + i;
        let v: number;
        if (wt === null) v = lr0 * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, D)) / D)) + alpha);
        else if (s < W) v = (wt - lr0) * (s / W) + lr0;
        else v = wt * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(s - W, D)) / D)) + alpha);
        out[o + i] = v;
      }
      return;
    }
    case 'CosineDecayRestarts': {
      const D = num(c, 'firstDecaySteps'), t = num(c, 'tMul', 2), m = num(c, 'mMul', 1), alpha = num(c, 'alpha');
      for (let i = 0; i < n; i++) {
        let f = (start + i) / D;
        let k: number;
        if (t === 1) {
          k = Math.floor(f);
          f -= k;
        } else {
          k = Math.floor(Math.log(1 - f * (1 - t)) / Math.log(t));
          const sum = (1 - t ** k) / (1 - t);
          f = (f - sum) / t ** k;
        }
        out[o + i] = lr0 * ((1 - alpha) * m ** k * 0.5 * (1 + Math.cos(Math.PI * f)) + alpha);
      }
      return;
    }
    case 'ExponentialDecay': {
      const D = num(c, 'decaySteps'), r = num(c, 'decayRate'), st = c.staircase === true;
      for (let i = 0; i < n; i++) {
        const p = (start + i) / D;
        out[o + i] = lr0 * r ** (st ? Math.floor(p) : p);
      }
      return;
    }
    case 'PiecewiseConstantDecay': {
      const b = c.boundaries as number[], v = c.values as number[];
      for (let i = 0; i < n; i++) {
        const s = start + i;
        let j = 0;
        while (j < b.length && s > (b[j] as number)) j++;
        out[o + i] = v[j] as number;
      }
      return;
    }
    case 'PolynomialDecay': {
      const D = num(c, 'decaySteps'), end = num(c, 'endLearningRate', 1e-4), p = num(c, 'power', 1), cyc = c.cycle === true;
      for (let i = 0; i < n; i++) {
        const s = start + i;
        let d = D;
        let x = s;
        if (cyc) d = D * (s === 0 ? 1 : Math.ceil(s / D));
        else x = Math.min(s, D);
        out[o + i] = (lr0 - end) * (1 - x / d) ** p + end;
      }
      return;
    }
    case 'InverseTimeDecay': {
      const D = num(c, 'decaySteps'), r = num(c, 'decayRate'), st = c.staircase === true;
      for (let i = 0; i < n; i++) {
        const p = (start + i) / D;
        out[o + i] = lr0 / (1 + r * (st ? Math.floor(p) : p));
      }
      return;
    }
    default:
      throw new Error(`no naive formula for ${row.kind}`);
  }
}

/** The rows of one kind as a [rows, 1] float32 column of field k. */
function col(tf: typeof TF, rows: readonly JobRow[], f: (c: C) => number): TF.Tensor2D {
  return tf.tensor2d(rows.map((r) => f(r.config)), [rows.length, 1], 'float32');
}

/**
 * The Keras formula of `kind` for `rows` (all of that kind) at steps start … start + n − 1, in
 * tfjs float32 ops, as a [rows, n] tensor (to be read back with data()).
 */
export function tfRows(tf: typeof TF, kind: string, rows: readonly JobRow[], start: number, n: number): TF.Tensor2D {
  return tf.tidy(() => {
    const s = tf.reshape(tf.range(start, start + n, 1, 'float32'), [1, n]);
    const lr0 = col(tf, rows, (c) => num(c, 'initialLearningRate'));
    const pi = Math.PI;
    switch (kind) {
      case 'CosineDecay': {
        const D = col(tf, rows, (c) => num(c, 'decaySteps'));
        const a = col(tf, rows, (c) => num(c, 'alpha'));
        const warm = rows.some((r) => r.config.warmupTarget !== null && r.config.warmupTarget !== undefined);
        const W = col(tf, rows, (c) => (c.warmupTarget === null || c.warmupTarget === undefined ? 0 : num(c, 'warmupSteps')));
        const from = col(tf, rows, (c) => (c.warmupTarget === null || c.warmupTarget === undefined ? num(c, 'initialLearningRate') : num(c, 'warmupTarget')));
        const g = tf.minimum(tf.maximum(tf.sub(s, W), 0), D);
        const dec = tf.mul(from, tf.add(tf.mul(tf.sub(1, a), tf.mul(0.5, tf.add(1, tf.cos(tf.mul(pi, tf.div(g, D)))))), a));
        if (!warm) return dec as TF.Tensor2D;
        const ramp = tf.add(tf.mul(tf.sub(from, lr0), tf.div(s, tf.maximum(W, 1))), lr0);
        return tf.where(tf.less(s, W), ramp, dec) as TF.Tensor2D;
      }
      case 'CosineDecayRestarts': {
        const D = col(tf, rows, (c) => num(c, 'firstDecaySteps'));
        const t = col(tf, rows, (c) => num(c, 'tMul', 2));
        const m = col(tf, rows, (c) => num(c, 'mMul', 1));
        const a = col(tf, rows, (c) => num(c, 'alpha'));
        const f = tf.div(s, D);
        const one = tf.equal(t, 1);
        const tSafe = tf.where(one, tf.fill(t.shape, 2), t);
        const kGeo = tf.floor(tf.div(tf.log(tf.sub(1, tf.mul(f, tf.sub(1, tSafe)))), tf.log(tSafe)));
        const k = tf.where(one, tf.floor(f), kGeo);
        const tk = tf.pow(tSafe, k);
        const fGeo = tf.div(tf.sub(f, tf.div(tf.sub(1, tk), tf.sub(1, tSafe))), tk);
        const frac = tf.where(one, tf.sub(f, k), fGeo);
        const cosd = tf.mul(tf.mul(0.5, tf.pow(m, k)), tf.add(1, tf.cos(tf.mul(pi, frac))));
        return tf.mul(lr0, tf.add(tf.mul(tf.sub(1, a), cosd), a)) as TF.Tensor2D;
      }
      case 'ExponentialDecay': {
        const D = col(tf, rows, (c) => num(c, 'decaySteps'));
        const r = col(tf, rows, (c) => num(c, 'decayRate'));
        const st = col(tf, rows, (c) => (c.staircase === true ? 1 : 0));
        const p = tf.div(s, D);
        return tf.mul(lr0, tf.pow(r, tf.where(tf.equal(st, 1), tf.floor(p), p))) as TF.Tensor2D;
      }
      case 'PiecewiseConstantDecay': {
        const nb = (rows[0]?.config.boundaries as number[] | undefined)?.length ?? 0;
        const full = (t: TF.Tensor): TF.Tensor => tf.mul(t, tf.onesLike(s));
        let v = full(col(tf, rows, (c) => (c.values as number[])[nb] as number));
        for (let j = nb - 1; j >= 0; j--) {
          const b = col(tf, rows, (c) => (c.boundaries as number[])[j] as number);
          v = tf.where(tf.lessEqual(s, b), full(col(tf, rows, (c) => (c.values as number[])[j] as number)), v);
        }
        return v as TF.Tensor2D;
      }
      case 'PolynomialDecay': {
        const D = col(tf, rows, (c) => num(c, 'decaySteps'));
        const end = col(tf, rows, (c) => num(c, 'endLearningRate', 1e-4));
        const pw = col(tf, rows, (c) => num(c, 'power', 1));
        const cyc = col(tf, rows, (c) => (c.cycle === true ? 1 : 0));
        const mult = tf.where(tf.equal(s, 0), tf.onesLike(s), tf.ceil(tf.div(s, D)));
        const d = tf.where(tf.equal(cyc, 1), tf.mul(D, mult), tf.mul(D, tf.onesLike(s)));
        const x = tf.where(tf.equal(cyc, 1), tf.mul(s, tf.onesLike(D)), tf.minimum(s, D));
        return tf.add(tf.mul(tf.sub(lr0, end), tf.pow(tf.sub(1, tf.div(x, d)), pw)), end) as TF.Tensor2D;
      }
      case 'InverseTimeDecay': {
        const D = col(tf, rows, (c) => num(c, 'decaySteps'));
        const r = col(tf, rows, (c) => num(c, 'decayRate'));
        const st = col(tf, rows, (c) => (c.staircase === true ? 1 : 0));
        const p = tf.div(s, D);
        return tf.div(lr0, tf.add(1, tf.mul(r, tf.where(tf.equal(st, 1), tf.floor(p), p)))) as TF.Tensor2D;
      }
      default:
        throw new Error(`no tfjs formula for ${kind}`);
    }
  });
}
