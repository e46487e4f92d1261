/**
 * The exact part of the fuzz oracle's floating BigInt arithmetic (test/oracle/bigfloat.ts
 * adds the transcendentals and re-exports this): values m·2^e, exact add / sub / mul,
 * div rounded to PREC bits, conversions from and to doubles. Imports nothing from src/.
 */
/** Significant bits kept by div and the transcendentals. */
export const PREC = 400;
/** Guard bits of the fixed-point series. */
export const GUARD = 64;

export interface BF {
  readonly m: bigint;
  readonly e: number;
}

export const ZERO: BF = { m: 0n, e: 0 };
export const ONE: BF = { m: 1n, e: 0 };

/** Significant bits of |x| (0 for 0). */
export function bitLen(x: bigint): number {
  const a = x < 0n ? -x : x;
  if (a === 0n) return 0;
  const h = a.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0]!, 16)));
}

/** Trims to `bits` significant bits (truncation toward zero; the oracle keeps 400 bits, so direction is irrelevant). */
export function round(a: BF, bits = PREC): BF {
  const L = bitLen(a.m);
  if (L <= bits) return a;
  const sh = L - bits;
  return { m: a.m >> BigInt(sh), e: a.e + sh };
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The exact value of a finite double. */
export function fromNumber(x: number): BF {
  if (!Number.isFinite(x)) throw new RangeError(`fromNumber(${x})`);
  if (x === 0) return ZERO;
  f64[0] = x;
  const bits = u64[0]!;
  const neg = bits >> 63n === 1n;
  const ex = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (ex === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = ex - 1075;
  }
  return { m: neg ? -m : m, e };
}

export const fromBigInt = (n: bigint): BF => ({ m: n, e: 0 });

export function neg(a: BF): BF {
  return { m: -a.m, e: a.e };
}

export function sign(a: BF): number {
  return a.m > 0n ? 1 : a.m < 0n ? -1 : 0;
}

/** Exponent gap beyond which the smaller addend cannot matter (relative 2^-4000; any two doubles are within 2100 bits): dropped, so sentinel exponents stay cheap. */
const DROP_GAP = 10 * PREC;

export function add(a: BF, b: BF): BF {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const ta = ilog2(a);
  const tb = ilog2(b);
  if (ta - tb > DROP_GAP) return a;
  if (tb - ta > DROP_GAP) return b;
  if (a.e >= b.e) return { m: (a.m << BigInt(a.e - b.e)) + b.m, e: b.e };
  return { m: a.m + (b.m << BigInt(b.e - a.e)), e: a.e };
}

export const sub = (a: BF, b: BF): BF => add(a, neg(b));

export function mul(a: BF, b: BF): BF {
  return { m: a.m * b.m, e: a.e + b.e };
}

/** a / b to PREC bits. */
export function div(a: BF, b: BF): BF {
  if (b.m === 0n) throw new RangeError('division by zero');
  if (a.m === 0n) return ZERO;
  const sh = PREC + 2 + bitLen(b.m) - bitLen(a.m);
  const num = sh > 0 ? a.m << BigInt(sh) : a.m >> BigInt(-sh);
  return round({ m: num / b.m, e: a.e - b.e - sh });
}

export function cmp(a: BF, b: BF): number {
  return sign(sub(a, b));
}

export function abs(a: BF): BF {
  return a.m < 0n ? neg(a) : a;
}

/** floor(log2 |a|) (a ≠ 0). */
export function ilog2(a: BF): number {
  return a.e + bitLen(a.m) - 1;
}

/** x·2^k exactly. */
export function ldexp(a: BF, k: number): BF {
  return { m: a.m, e: a.e + k };
}

/** floor(a) as a BigInt. */
export function floor(a: BF): bigint {
  if (a.e >= 0) return a.m << BigInt(a.e);
  const sh = BigInt(-a.e);
  return a.m >= 0n ? a.m >> sh : -((-a.m + (1n << sh) - 1n) >> sh);
}

/** floor(a/b) exactly for a ≥ 0, b > 0 (BigInt on the exact dyadics). */
export function floorDiv(a: BF, b: BF): bigint {
  if (a.m < 0n || b.m <= 0n) throw new RangeError('floorDiv needs a ≥ 0, b > 0');
  const d = a.e - b.e;
  return d >= 0 ? (a.m << BigInt(d)) / b.m : a.m / (b.m << BigInt(-d));
}

/** True when a is an integer. */
export function isInteger(a: BF): boolean {
  return cmp(fromBigInt(floor(a)), a) === 0;
}

/**
 * The double nearest to a (round half to even), with gradual underflow and overflow to ±Infinity:
 * exact rounding of the BF value itself.
 */
export function toNumber(a: BF): number {
  if (a.m === 0n) return 0;
  const negative = a.m < 0n;
  const mag = negative ? -a.m : a.m;
  const L = bitLen(mag);
  const E = a.e + L - 1; // 2^E ≤ |a| < 2^(E+1)
  if (E >= 1024) return negative ? -Infinity : Infinity;
  if (E < -1076) return negative ? -0 : 0;
  const p = E >= -1022 ? 53 : E + 1075; // significant bits available at this exponent
  let q: bigint;
  let e: number;
  if (p <= 0) {
    // |a| < 2^-1075 ·2: rounds to 0 or to 2^-1074
    const half = { m: 1n, e: -1075 };
    const c = cmp({ m: mag, e: a.e }, half);
    const v = c > 0 ? 2 ** -1074 : 0;
    return negative ? -v : v;
  }
  const sh = L - p;
  if (sh <= 0) {
    q = mag;
    e = a.e;
  } else {
    q = mag >> BigInt(sh);
    const rem = mag - (q << BigInt(sh));
    const half = 1n << BigInt(sh - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    e = a.e + sh;
  }
  let v = Number(q);
  // v·2^e in steps that stay exact
  while (e > 0) {
    const k = Math.min(e, 1000);
    v *= 2 ** k;
    e -= k;
  }
  while (e < 0) {
    const k = Math.max(e, -1000);
    v *= 2 ** k;
    e -= k;
  }
  return negative ? -v : v;
}
