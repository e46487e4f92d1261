/**
 * The training example's data and its CPU twin: the seeded synthetic dataset both runs
 * train on, and the same training in f64 on the CPU (what the GPU run is checked
 * against). Plain TypeScript, no WebGPU and no library import.
 */

export type Optimizer = 'adam' | 'momentum';

/** mulberry32: a small seeded PRNG, identical in every JS engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dataset {
  readonly samples: number;
  readonly features: number;
  /** Row-major, stride features + 2: x_0 … x_{d−1}, 1 (the bias input), label ∈ {0, 1}. */
  readonly rows: Float32Array;
}

/**
 * Two classes split by a random hyperplane with a little label noise (logit noise of
 * σ = 0.5 against a signal of norm ≈ 3·√d): nearly separable, so logistic regression
 * can take the loss from ln 2 (zero weights) to well under a quarter of that.
 */
export function makeDataset(seed = 1, samples = 1024, features = 8): Dataset {
  const rand = mulberry32(seed);
  const normal = (): number => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const trueW = Array.from({ length: features }, () => 3 * normal());
  const trueB = normal();
  const stride = features + 2;
  const rows = new Float32Array(samples * stride);
  for (let i = 0; i < samples; i++) {
    let z = trueB + 0.5 * normal();
    for (let k = 0; k < features; k++) {
      const x = normal();
      rows[i * stride + k] = x;
      z += (trueW[k] ?? 0) * x;
    }
    rows[i * stride + features] = 1;
    rows[i * stride + features + 1] = z > 0 ? 1 : 0;
  }
  return { samples, features, rows };
}

/**
 * The same training in f64 on the CPU, given the learning rate of every step: the
 * reference the GPU run is checked against (and what a page without WebGPU can show).
 */
export function trainLogRegReference(o: { lr: ArrayLike<number>; optimizer?: Optimizer; seed?: number; samples?: number; features?: number }): { losses: Float64Array; weights: Float64Array } {
  const data = makeDataset(o.seed ?? 1, o.samples ?? 1024, o.features ?? 8);
  const P = data.features + 1;
  const stride = P + 1;
  const steps = o.lr.length;
  const w = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const g = new Float64Array(P);
  const losses = new Float64Array(steps + 1);
  for (let step = 0; step <= steps; step++) {
    g.fill(0);
    let loss = 0;
    for (let i = 0; i < data.samples; i++) {
      const row = i * stride;
      let z = 0;
      for (let k = 0; k < P; k++) z += (w[k] ?? 0) * (data.rows[row + k] ?? 0);
      const y = data.rows[row + P] ?? 0;
      loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      const r = 1 / (1 + Math.exp(-z)) - y;
      for (let k = 0; k < P; k++) g[k] = (g[k] ?? 0) + r * (data.rows[row + k] ?? 0);
    }
    losses[step] = loss / data.samples;
    if (step === steps) break;
    const lr = o.lr[step] ?? 0;
    const t = step + 1;
    for (let k = 0; k < P; k++) {
      const gk = (g[k] ?? 0) / data.samples;
      if ((o.optimizer ?? 'adam') === 'adam') {
        m[k] = 0.9 * (m[k] ?? 0) + 0.1 * gk;
        v[k] = 0.999 * (v[k] ?? 0) + 0.001 * gk * gk;
        const mhat = (m[k] ?? 0) / (1 - 0.9 ** t);
        const vhat = (v[k] ?? 0) / (1 - 0.999 ** t);
        w[k] = (w[k] ?? 0) - (lr * mhat) / (Math.sqrt(vhat) + 1e-7);
      } else {
        m[k] = 0.9 * (m[k] ?? 0) - lr * gk;
        w[k] = (w[k] ?? 0) + (m[k] ?? 0);
      }
    }
  }
  return { losses, weights: w };
}
