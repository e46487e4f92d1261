#!/usr/bin/env python3
"""High-precision oracle for CosineDecayRestarts: writes test/fixtures/oracle/restarts.json.

Independent of src/ (and of test/schedules-reference.ts): the definition of the
schedule (Keras's reference semantics) evaluated with mpmath at 4500 bits and exact
Fractions for the period index wherever a tie is possible.

  lr(s) = lr0 * ((1 - alpha) * m^k * (1 + cos(pi * (s - B_k) / L_k)) / 2 + alpha)
  B_k = D * (t^k - 1) / (t - 1)   (t = 1: k * D),   L_k = D * t^k,
  k the integer with B_k <= s < B_{k+1}.

Parameters are drawn log-uniformly over the whole double range of each field
(first_decay_steps 5e-324 .. 1e308, t_mul within 1e-15 of 1 .. 1e300, m_mul tiny ..
1e300, alpha negative / large), and the steps are 0, 1, 2, 2^32 +- 1, 2^53 - 2 .. 2^53,
random steps, restart boundaries +- 1 and period middles (where alpha outside [0, 1]
cancels). Deterministic (seeded). Run:  python3 scripts/oracle/restarts.py
(pip install mpmath). Exact values are written as decimal strings with 30 digits
("0" for an exact zero, "1e+400" style beyond the double range).
"""
import json
import math
import random
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
from mpmath import mp, mpf

mp.prec = 4500
TWO53 = 2 ** 53
OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "oracle" / "restarts.json"


def F(x):
    return Fraction(x)  # exact value of a double


def boundary_exact(D, t, k):
    if t == 1:
        return k * F(D)
    T = F(t)
    return F(D) * (T ** k - 1) / (T - 1)


def period_index(D, t, s):
    """Exact k with B_k <= s < B_{k+1}."""
    if s == 0:
        return 0
    if t == 1:
        return int(F(s) // F(D))
    Dm, tm, sm = mpf(D), mpf(t), mpf(s)
    y = 1 + sm * (tm - 1) / Dm  # B_k <= s  <=>  t^k <= y
    k = int(mpmath.floor(mpmath.log(y) / mpmath.log(tm)))
    k = max(k, 0)

    def ge(j):  # s >= B_j
        if j == 0:
            return True
        tj = tm ** j
        d = y - tj
        if abs(d) > y * mpf(2) ** -4000:
            return d > 0
        if j > 20000:
            raise RuntimeError(f"undecidable near-tie at k={j}")
        return F(s) >= boundary_exact(D, t, j)

    for _ in range(100):
        if not ge(k):
            k -= 1
        elif ge(k + 1):
            k += 1
        else:
            return k
    raise RuntimeError("index did not converge")


def B(D, t, k):
    if t == 1:
        return mpf(k) * mpf(D)
    tm = mpf(t)
    return mpf(D) * (tm ** k - 1) / (tm - 1)


def value(cfg, s):
    lr0, D, t, m, alpha = cfg["lr0"], cfg["D"], cfg["t"], cfg["m"], cfg["alpha"]
    k = period_index(D, t, s)
    if s == 0:
        return mpf(lr0), k
    L = mpf(D) * mpf(t) ** k
    a = mpf(s) - B(D, t, k)
    mk = mpf(1) if k == 0 else mpf(m) ** k
    g = (1 + mpmath.cos(mp.pi * a / L)) / 2
    amp = (1 - mpf(alpha)) * mk * g
    v = amp + mpf(alpha)
    scale = max(abs(amp), abs(mpf(alpha)))
    if scale != 0 and abs(v) < scale * mpf(2) ** -3500:
        v = mpf(0)  # an exact zero (e.g. alpha = -1 in the middle of a period)
    return mpf(lr0) * v, k


def is_peak(cfg, s, k):
    """s == B_k exactly (decided with Fractions; for k > 3000 not decided: reported 0)."""
    if s == 0:
        return True
    if cfg["t"] != 1 and k > 3000:
        return False
    return F(s) == boundary_exact(cfg["D"], cfg["t"], k)


def log_uniform(rng, lo, hi):
    return 10.0 ** rng.uniform(lo, hi)


def draw_config(rng):
    r = rng.random()
    if r < 0.1:
        D = 5e-324 * rng.choice([1, 2, 3, 1000, 2 ** 40])
    elif r < 0.2:
        D = float(rng.choice([1, 2, 3, 7, 10, 100, 1000, 12345]))
    elif r < 0.3:
        D = rng.choice([1e308, 1.7976931348623157e308, 1e-17, 1e-300])
    else:
        D = log_uniform(rng, -323.5, 308.2)
    if D == 0 or not math.isfinite(D):
        D = 5e-324
    r = rng.random()
    if r < 0.25:
        t = 1.0
    elif r < 0.45:
        t = 1.0 + rng.choice([2 ** -52, 2 ** -51, 3 * 2 ** -52]) if rng.random() < 0.3 else 1.0 + log_uniform(rng, -15.6, -1)
    elif r < 0.6:
        t = float(rng.choice([2, 3, 1.5, 10]))
    else:
        t = log_uniform(rng, 0, 300)
    if t < 1:
        t = 1.0
    r = rng.random()
    if r < 0.2:
        m = 1.0
    elif r < 0.3:
        m = 0.0
    elif r < 0.45:
        m = 1.0 + rng.choice([-1, 1]) * log_uniform(rng, -15.6, -1)
    elif r < 0.55:
        m = float(rng.choice([0.5, 0.9, 2.0]))
    else:
        m = log_uniform(rng, -300, 300)
    r = rng.random()
    if r < 0.3:
        alpha = 0.0
    elif r < 0.45:
        alpha = rng.random()
    elif r < 0.6:
        alpha = float(rng.choice([-1, -3, 2, 1, -0.5]))
    elif r < 0.8:
        alpha = -log_uniform(rng, -5, 5)
    else:
        alpha = log_uniform(rng, 0, 10)
    r = rng.random()
    if r < 0.4:
        lr0 = rng.choice([1.0, 0.1, 1e-3])
    else:
        lr0 = rng.choice([-1, 1]) * log_uniform(rng, -300, 300)
    return {"lr0": lr0, "D": D, "t": t, "m": m, "alpha": alpha}


def steps_for(cfg, rng):
    D, t = cfg["D"], cfg["t"]
    steps = {0, 1, 2, 3, TWO53, TWO53 - 1, TWO53 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1}
    for _ in range(3):
        steps.add(int(10 ** rng.uniform(0, math.log10(TWO53))))
    # restart boundaries around a few random steps, and period middles
    for s0 in [int(10 ** rng.uniform(0, math.log10(TWO53))) for _ in range(3)] + [1, 1000]:
        k = period_index(D, t, s0)
        for j in (k, k + 1):
            if j == 0:
                continue
            b = B(D, t, j)  # (mp: an exact Fraction of t^k would not fit for k ~ 2^60)
            if b > TWO53 + 1:
                continue
            c = int(mpmath.ceil(b))
            steps.update({c - 1, c, c + 1})
            mid = (B(D, t, j - 1) + b) / 2
            steps.update({int(mpmath.floor(mid)), int(mpmath.ceil(mid))})
    return sorted(x for x in steps if 0 <= x <= TWO53)


def fmt(v):
    if v == 0:
        return "0"
    return mpmath.nstr(v, 30, min_fixed=1, max_fixed=0)


def main():
    # argv: [n_configs [seed [out]]] (the committed fixture: 170 20261201 test/fixtures/oracle/restarts.json)
    n_configs = int(sys.argv[1]) if len(sys.argv) > 1 else 170
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20261201)
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else OUT
    fixed = [
        # the cases issue L names
        {"lr0": 1.0, "D": 1e-17, "t": 1.0000000000000002, "m": 1.0, "alpha": 0.0},
        {"lr0": 1.0, "D": 1.0, "t": 1.0000001, "m": 1.0, "alpha": 0.0},
        {"lr0": 1.0, "D": 5e-324, "t": 2.0, "m": 1.0, "alpha": 0.0},
        {"lr0": 0.1, "D": 5e-324, "t": 1.0, "m": 0.5, "alpha": 0.0},
        {"lr0": 0.1, "D": 1000.0, "t": 1e300, "m": 1.0, "alpha": 0.0},
        {"lr0": 1e-300, "D": 1.0, "t": 1.0, "m": 2.0, "alpha": 0.0},
        {"lr0": 1.0, "D": 1.0, "t": 2.0, "m": 1e300, "alpha": 0.0},
        {"lr0": 1.0, "D": 1000.0, "t": 1.0, "m": 1.0, "alpha": -1.0},
        {"lr0": 1.0, "D": 1000.0, "t": 2.0, "m": 1.0, "alpha": -1.0},
        {"lr0": 1.0, "D": 1.0, "t": 3.0, "m": 1.0, "alpha": 0.0},
    ]
    configs = fixed + [draw_config(rng) for _ in range(n_configs)]
    cases = []
    for i, cfg in enumerate(configs):
        try:
            steps = steps_for(cfg, rng)
            vals = []
            for s in steps:
                v, k = value(cfg, s)
                vals.append([s, fmt(v), str(k), 1 if is_peak(cfg, s, k) else 0])
        except RuntimeError as e:  # never seen; kept loud
            print(f"skip config {cfg}: {e}", file=sys.stderr)
            continue
        cases.append({"config": cfg, "points": vals})
        print(f"{i + 1}/{len(configs)}", file=sys.stderr, end="\r")
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "generator": "scripts/oracle/restarts.py",
        "precision_bits": mp.prec,
        "note": "points: [step, exact value (30 digits), exact period index k, 1 if step == B_k exactly]",
        "cases": cases,
    }
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"\nwrote {out} ({len(cases)} configs, {sum(len(c['points']) for c in cases)} points)", file=sys.stderr)


if __name__ == "__main__":
    main()
