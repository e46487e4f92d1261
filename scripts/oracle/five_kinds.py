#!/usr/bin/env python3
"""Cross-check fixtures for the test oracle (test/oracle/schedules.ts) of the five kinds
ExponentialDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, PiecewiseConstantDecay:
the Keras formulas in real arithmetic on the exact f64 parameters, evaluated by mpmath at
3000 bits (exponent range unbounded), at edge parameters (subnormal, 1e300, opposite
signs, tiny/huge powers, alpha outside [0, 1]).

Writes test/fixtures/oracle/five-kinds.json: [{kind, config, step, value}], value as a
decimal string with 60 significant digits ("0" for an exact zero).
Run: python3 scripts/oracle/five_kinds.py  (mpmath 1.3)
"""
import os
import sys
from mpmath import mp, mpf, cos, pi, exp, log, floor, ceil
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import FIXTURES, exact_text, write_fixture  # noqa: E402

mp.prec = 3000


def F(x):
    return mpf(x)  # exact: a Python float is a double


def exponential(c, s):
    lr0, D, r = F(c["initialLearningRate"]), F(c["decaySteps"]), F(c["decayRate"])
    x = F(s) / D
    if c.get("staircase"):
        x = floor(x)
    return lr0 * exp(x * log(r)) if r != 1 else lr0


def inverse_time(c, s):
    lr0, D, r = F(c["initialLearningRate"]), F(c["decaySteps"]), F(c["decayRate"])
    x = F(s) / D
    if c.get("staircase"):
        x = floor(x)
    return lr0 / (1 + r * x)


def polynomial(c, s):
    lr0, D = F(c["initialLearningRate"]), F(c["decaySteps"])
    end, p = F(c.get("endLearningRate", 0.0001)), F(c.get("power", 1.0))
    S = F(s)
    if c.get("cycle"):
        mult = mpf(1) if s == 0 else ceil(S / D)
        H = D * mult
        frac = S / H
    else:
        frac = min(S, D) / D
    if p == 0:
        return lr0
    return (lr0 - end) * (1 - frac) ** p + end


def cosine(c, s):
    lr0, D, a = F(c["initialLearningRate"]), F(c["decaySteps"]), F(c.get("alpha", 0.0))
    S = F(s)
    wt = c.get("warmupTarget")
    frm = lr0
    d = S
    if wt is not None:
        W = F(c.get("warmupSteps", 0))
        frm = F(wt)
        if S < W:
            return lr0 + (frm - lr0) * S / W
        d = S - W
    d = min(d, D)
    g = (1 + cos(pi * d / D)) / 2
    return frm * ((1 - a) * g + a)


def piecewise(c, s):
    bs, vs = c["boundaries"], c["values"]
    j = 0
    while j < len(bs) and s > bs[j]:
        j += 1
    return F(vs[j])


KINDS = {
    "ExponentialDecay": exponential,
    "InverseTimeDecay": inverse_time,
    "PolynomialDecay": polynomial,
    "CosineDecay": cosine,
    "PiecewiseConstantDecay": piecewise,
}

CASES = [
    ("ExponentialDecay", {"initialLearningRate": 0.05, "decaySteps": 10, "decayRate": 0.96}),
    ("ExponentialDecay", {"initialLearningRate": 1e300, "decaySteps": 1, "decayRate": 0.5}),
    ("ExponentialDecay", {"initialLearningRate": 1e300, "decaySteps": 3.7, "decayRate": 5e-324, "staircase": False}),
    ("ExponentialDecay", {"initialLearningRate": -2.7e-322, "decaySteps": 23777, "decayRate": 1.4999999999999971}),
    ("ExponentialDecay", {"initialLearningRate": 1.7976931348623157e308, "decaySteps": 1e-10, "decayRate": 0.9999999999999999}),
    ("ExponentialDecay", {"initialLearningRate": 0.1, "decaySteps": 5e-324, "decayRate": 1.0000000000000002, "staircase": True}),
    ("InverseTimeDecay", {"initialLearningRate": 0.1, "decaySteps": 5e-324, "decayRate": 5e-324, "staircase": True}),
    ("InverseTimeDecay", {"initialLearningRate": 0.1, "decaySteps": 1e-300, "decayRate": 1e300}),
    ("InverseTimeDecay", {"initialLearningRate": -3e-300, "decaySteps": 7, "decayRate": 1.7976931348623157e308, "staircase": True}),
    ("PolynomialDecay", {"initialLearningRate": -0.1, "decaySteps": 10000, "endLearningRate": 0.0, "power": 3.0}),
    ("PolynomialDecay", {"initialLearningRate": 0.1, "decaySteps": 1e6, "endLearningRate": -0.3, "power": 7.3}),
    ("PolynomialDecay", {"initialLearningRate": 1e-300, "decaySteps": 51212, "endLearningRate": 7.800430055154065e47, "power": 5.4e-323, "cycle": True}),
    ("PolynomialDecay", {"initialLearningRate": 1.4390713043054678e114, "decaySteps": 1.1392378155556852e-305, "endLearningRate": 5e-324, "power": 2.8698592549372244e-42, "cycle": True}),
    ("PolynomialDecay", {"initialLearningRate": 1e300, "decaySteps": 1e6, "endLearningRate": 0.0, "power": 1e5}),
    ("PolynomialDecay", {"initialLearningRate": 0.0, "decaySteps": 1.2868815364462072e305, "endLearningRate": 1.0, "power": 261.3610671951528}),
    ("CosineDecay", {"initialLearningRate": 1.0, "decaySteps": 1000, "alpha": -1.0}),
    ("CosineDecay", {"initialLearningRate": 0.5, "decaySteps": 3e6, "alpha": -0.5}),
    ("CosineDecay", {"initialLearningRate": 1e-10, "decaySteps": 1000, "alpha": 1e300}),
    ("CosineDecay", {"initialLearningRate": -1.0, "decaySteps": 11290, "alpha": 0.0, "warmupTarget": 0.051462413100972375, "warmupSteps": 3.3030082067298758e-174}),
    ("CosineDecay", {"initialLearningRate": 0.1, "decaySteps": 1e300, "alpha": 0.5, "warmupTarget": -2.0, "warmupSteps": 1e6}),
    ("PiecewiseConstantDecay", {"boundaries": [-1e300, 5e-324, 9.5, 1e300], "values": [1.0, 5e-324, -1e300, 0.5, 2.0]}),
]
STEPS = [0, 1, 2, 3, 250, 333, 499, 500, 501, 999, 1000, 1001, 2000, 9999, 10000, 11290, 499999, 500000, 2**24 + 1, 2**32 - 1, 2**53]


def main():
    out = []
    for kind, cfg in CASES:
        for s in STEPS:
            v = KINDS[kind](cfg, s)
            out.append({"kind": kind, "config": cfg, "step": s, "value": exact_text(v)})
    dest = os.path.join(FIXTURES, "oracle", "five-kinds.json")
    write_fixture(dest, out, indent=0)
    print(f"wrote {len(out)} values to {os.path.relpath(dest)}")


if __name__ == "__main__":
    main()
