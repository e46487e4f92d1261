"""Writes test/fixtures/dialects/optax.json from real Optax on JAX in float64 (the tests need no Python).

    pip install optax jax jaxlib mpmath
    python scripts/dialect-fixtures/optax.py

For every case: the input as the dialect reads it (`input`: {"module": "optax", "function",
"config"}), the steps, and two value lists:
- `framework`: the value of the real optax schedule at step t, with `jax_enable_x64` (so the
  arithmetic is float64) and the step given as an int64 array scalar, as an optimizer's count is;
- `exact`: an independent closed form of the same schedule (the formulas of optax's docstrings)
  in mpmath at 60 digits (rational parts in exact fractions), rounded once to float64.
`drift_bound` (absolute, per step, or null) bounds |framework - exact| where optax's own
float64 arithmetic loses relative accuracy: 1 + cos(theta) cancelling near the end of a cosine
whose floor is 0 (see docs/dialects.md).
"""

import math
import os
import platform
import sys
from fractions import Fraction as F

# this file is named optax.py: keep its own folder off the import path, so `import optax` is the library
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import mpmath  # noqa: E402
import optax  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import FIXTURES, write_fixture  # noqa: E402

mpmath.mp.dps = 60
OUT = os.path.join(FIXTURES, "dialects", "optax.json")
U = 2.0**-53


def mpf(x):
    x = F(x)
    return mpmath.mpf(x.numerator) / x.denominator


def mcos(x):
    x = F(x)
    return mpmath.cos(mpmath.pi * mpmath.mpf(x.numerator) / x.denominator)


def bs_dict(d):
    """JSON's string keys -> optax's int steps."""
    return None if d is None else {int(k): v for k, v in d.items()}


def build(fn, cfg):
    """The real optax schedule of a JSON object's function and config."""
    f = getattr(optax, fn)
    c = dict(cfg)
    if fn in ("piecewise_constant_schedule", "piecewise_interpolate_schedule") and "boundaries_and_scales" in c:
        c["boundaries_and_scales"] = bs_dict(c["boundaries_and_scales"])
    if fn == "join_schedules":
        return f([build(s["function"], s["config"]) for s in c["schedules"]], c["boundaries"])
    return f(**c)


# --- the independent closed forms (optax's documented formulas), exact ---------------------------

def x_poly(c, t):
    I, E, P, T, B = F(c["init_value"]), F(c["end_value"]), F(c.get("power", 1)), F(c["transition_steps"]), F(c.get("transition_begin", 0))
    k = min(max(t - B, F(0)), T)
    return (mpf(I - E) * mpf(1 - k / T) ** mpf(P) + mpf(E)) if P != 0 else mpf(I)


def x_cos(I, D, alpha, p, t):
    """init * ((1 - alpha) * (0.5 (1 + cos(pi min(t, D) / D)))^p + alpha)."""
    k = min(F(t), F(D))
    g = (1 + mcos(k / F(D))) / 2
    return mpf(I) * (mpf(1 - F(alpha)) * g ** mpf(p) + mpf(alpha))


def x_exp(c, t):
    I, T, r, B = F(c["init_value"]), F(c["transition_steps"]), F(c["decay_rate"]), F(c.get("transition_begin", 0))
    d = F(t) - B
    if d <= 0:
        v = mpf(I)
    else:
        p = d / T
        if c.get("staircase", False):
            p = F(math.floor(p))
        v = mpf(I) * mpmath.power(mpf(r), mpf(p))
    e = c.get("end_value")
    if e is not None:
        v = max(v, mpf(e)) if r < 1 else min(v, mpf(e))
    return v


def x_interp(kind, init, bs, t):
    """Between accumulated values init * prod(scales of boundaries <= b), linear or cosine."""
    items = sorted((int(k), F(v)) for k, v in (bs or {}).items())
    bounds = [0] + [b for b, _ in items]
    vals = [F(init)]
    for _, s in items:
        vals.append(vals[-1] * s)
    t = F(t)
    for i in range(len(bounds) - 1):
        if bounds[i] <= t < bounds[i + 1]:
            pct = (t - bounds[i]) / max(bounds[i + 1] - bounds[i], 1)
            a, b = vals[i], vals[i + 1]
            if kind == "linear":
                return mpf(a + (b - a) * pct)
            return mpf(b) + mpf(a - b) / 2 * (mcos(pct) + 1)
    return mpf(vals[-1])


def x_onecycle_dict(c, kind):
    T = c["transition_steps"]
    peak, ps = c["peak_value"], c.get("pct_start", 0.3)
    div, fdiv = c.get("div_factor", 25.0), c.get("final_div_factor", 1e4)
    if kind == "linear":
        pf = c.get("pct_final", 0.85)
        d = {int(ps * T): F(div), int(pf * T): 1 / F(div), T: 1 / F(fdiv)}
    else:
        d = {int(ps * T): F(div), int(T): 1 / (F(div) * F(fdiv))}
    return F(peak) / F(div), d


def x_warmup_cos(c, t):
    I, P, W, D = F(c["init_value"]), F(c["peak_value"]), c["warmup_steps"], c["decay_steps"]
    E, p = F(c.get("end_value", 0.0)), c.get("exponent", 1.0)
    if t < W:
        return mpf(I + (P - I) * F(t) / W)
    alpha = 0 if P == 0 else E / P
    return x_cos(P, D - W, alpha, p, t - W)


def exact(fn, c, t):
    t = F(t)
    if fn == "constant_schedule":
        return mpf(c["value"])
    if fn == "linear_schedule":
        return x_poly(dict(c, power=1), t)
    if fn == "polynomial_schedule":
        return x_poly(c, t)
    if fn == "cosine_decay_schedule":
        return x_cos(c["init_value"], c["decay_steps"], c.get("alpha", 0.0), c.get("exponent", 1.0), t)
    if fn == "exponential_decay":
        return x_exp(c, t)
    if fn == "piecewise_constant_schedule":
        v = F(c["init_value"])
        for b, s in sorted((int(k), F(v)) for k, v in (c.get("boundaries_and_scales") or {}).items()):
            if t >= b:
                v *= s
        return mpf(v)
    if fn == "piecewise_interpolate_schedule":
        return x_interp(c["interpolate_type"], c["init_value"], c.get("boundaries_and_scales"), t)
    if fn == "linear_onecycle_schedule":
        init, d = x_onecycle_dict(c, "linear")
        return x_interp("linear", init, d, t)
    if fn == "cosine_onecycle_schedule":
        init, d = x_onecycle_dict(c, "cosine")
        return x_interp("cosine", init, d, t)
    if fn == "warmup_cosine_decay_schedule":
        return x_warmup_cos(c, t)
    if fn == "warmup_exponential_decay_schedule":
        W = c["warmup_steps"]
        if t < W:
            return mpf(F(c["init_value"]) + (F(c["peak_value"]) - F(c["init_value"])) * t / W)
        e = {k: c[k] for k in ("transition_steps", "decay_rate", "transition_begin", "staircase", "end_value") if k in c}
        return x_exp(dict(e, init_value=c["peak_value"]), t - W)
    if fn == "sgdr_schedule":
        start = 0
        kws = c["cosine_kwargs"]
        for i, kw in enumerate(kws):
            if t < start + kw["decay_steps"] or i == len(kws) - 1:
                return x_warmup_cos(kw, t - start)
            start += kw["decay_steps"]
    if fn == "join_schedules":
        subs, bounds = c["schedules"], c["boundaries"]
        i = 0
        while i < len(bounds) and t >= bounds[i]:
            i += 1
        off = bounds[i - 1] if i > 0 else 0
        return exact(subs[i]["function"], subs[i]["config"], t - off)
    raise ValueError(fn)


def cos_theta(fn, c, t):
    """(theta, amplitude) where the value is floor + amplitude * (1 + cos theta) / 2 with a floor of about 0."""
    if fn == "cosine_decay_schedule" and c.get("alpha", 0.0) == 0:
        return math.pi * min(t, c["decay_steps"]) / c["decay_steps"], abs(c["init_value"])
    if fn == "warmup_cosine_decay_schedule" and c.get("end_value", 0.0) == 0 and t >= c["warmup_steps"]:
        D = c["decay_steps"] - c["warmup_steps"]
        return math.pi * min(t - c["warmup_steps"], D) / D, abs(c["peak_value"])
    if fn == "sgdr_schedule":
        start = 0
        for i, kw in enumerate(c["cosine_kwargs"]):
            if t < start + kw["decay_steps"] or i == len(c["cosine_kwargs"]) - 1:
                return cos_theta("warmup_cosine_decay_schedule", kw, t - start)
            start += kw["decay_steps"]
    if fn == "join_schedules":
        i = 0
        while i < len(c["boundaries"]) and t >= c["boundaries"][i]:
            i += 1
        off = c["boundaries"][i - 1] if i > 0 else 0
        return cos_theta(c["schedules"][i]["function"], c["schedules"][i]["config"], t - off)
    return None


def drift_bound(fn, c, t, val):
    """|framework - exact| <= A * (|sin theta| * theta * 4u + 2u) / 2 + 8u |value|: theta = pi * t / D carries <= 3
    roundings (pi, the product, the division), cos <= 1 ulp, the sum one more (docs/dialects.md)."""
    r = cos_theta(fn, c, t)
    if r is None:
        return None
    th, amp = r
    return amp * (abs(math.sin(th)) * th * 4 * U + 2 * U) / 2 + 8 * U * abs(val)


# --- the cases ----------------------------------------------------------------------------------

def O(fn, **config):
    return {"module": "optax", "function": fn, "config": config}


CASES = [
    ("constant_schedule/plain", O("constant_schedule", value=0.001)),
    ("constant_schedule/negative-zero", O("constant_schedule", value=-0.0)),
    ("linear_schedule/decay", O("linear_schedule", init_value=1.0, end_value=0.01, transition_steps=100)),
    ("linear_schedule/begin", O("linear_schedule", init_value=1e-4, end_value=1e-3, transition_steps=250, transition_begin=50)),
    ("linear_schedule/fractional-steps", O("linear_schedule", init_value=0.5, end_value=0.0, transition_steps=33.5, transition_begin=7)),
    ("polynomial_schedule/doc", O("polynomial_schedule", init_value=1.0, end_value=0.01, power=2, transition_steps=100, transition_begin=5)),
    ("polynomial_schedule/sqrt", O("polynomial_schedule", init_value=0.1, end_value=0.0, power=0.5, transition_steps=1000)),
    ("polynomial_schedule/power-3-rising", O("polynomial_schedule", init_value=1e-5, end_value=1e-3, power=3.0, transition_steps=400, transition_begin=100)),
    ("cosine_decay_schedule/plain", O("cosine_decay_schedule", init_value=0.1, decay_steps=1000)),
    ("cosine_decay_schedule/alpha", O("cosine_decay_schedule", init_value=0.05, decay_steps=777, alpha=0.1)),
    ("cosine_decay_schedule/exponent", O("cosine_decay_schedule", init_value=1.0, decay_steps=500, alpha=0.01, exponent=2.0)),
    ("cosine_decay_schedule/long", O("cosine_decay_schedule", init_value=3e-4, decay_steps=10_000_000)),
    ("exponential_decay/smooth", O("exponential_decay", init_value=0.1, transition_steps=1000, decay_rate=0.5)),
    ("exponential_decay/staircase-begin", O("exponential_decay", init_value=1.0, transition_steps=100, decay_rate=0.9, transition_begin=250, staircase=True)),
    ("exponential_decay/end-floor", O("exponential_decay", init_value=1e-2, transition_steps=10, decay_rate=0.5, end_value=1e-4)),
    ("exponential_decay/growth-cap", O("exponential_decay", init_value=1e-4, transition_steps=50, decay_rate=2.0, transition_begin=20, end_value=0.01)),
    ("exponential_decay/staircase-floor-exact", O("exponential_decay", init_value=1.0, transition_steps=1, decay_rate=0.5, staircase=True, end_value=0.125)),
    ("piecewise_constant_schedule/doc", O("piecewise_constant_schedule", init_value=1.0, boundaries_and_scales={"100": 0.1, "200": 0.01})),
    ("piecewise_constant_schedule/unsorted-keys", O("piecewise_constant_schedule", init_value=0.3, boundaries_and_scales={"500": 0.5, "0": 2.0, "50": 0.1})),
    ("piecewise_constant_schedule/none", O("piecewise_constant_schedule", init_value=0.02)),
    ("piecewise_interpolate_schedule/linear-doc", O("piecewise_interpolate_schedule", interpolate_type="linear", init_value=1.0, boundaries_and_scales={"4": 0.1, "8": 0.01})),
    ("piecewise_interpolate_schedule/cosine", O("piecewise_interpolate_schedule", interpolate_type="cosine", init_value=0.1, boundaries_and_scales={"100": 10.0, "1000": 0.001, "1500": 0.5})),
    ("piecewise_interpolate_schedule/zero-boundary", O("piecewise_interpolate_schedule", interpolate_type="linear", init_value=0.5, boundaries_and_scales={"0": 0.2, "10": 3.0})),
    ("warmup_cosine_decay_schedule/plain", O("warmup_cosine_decay_schedule", init_value=0.0, peak_value=1e-3, warmup_steps=100, decay_steps=1000)),
    ("warmup_cosine_decay_schedule/end-value", O("warmup_cosine_decay_schedule", init_value=1e-5, peak_value=3e-4, warmup_steps=50, decay_steps=550, end_value=1e-5)),
    ("warmup_cosine_decay_schedule/exponent", O("warmup_cosine_decay_schedule", init_value=0.0, peak_value=0.1, warmup_steps=10, decay_steps=210, end_value=0.001, exponent=3.0)),
    ("warmup_cosine_decay_schedule/no-warmup", O("warmup_cosine_decay_schedule", init_value=0.5, peak_value=0.2, warmup_steps=0, decay_steps=300)),
    ("warmup_exponential_decay_schedule/plain", O("warmup_exponential_decay_schedule", init_value=0.0, peak_value=0.01, warmup_steps=100, transition_steps=200, decay_rate=0.5)),
    ("warmup_exponential_decay_schedule/everything", O("warmup_exponential_decay_schedule", init_value=1e-4, peak_value=1e-2, warmup_steps=20, transition_steps=10, decay_rate=0.8,
                                                         transition_begin=30, staircase=True, end_value=1e-3)),
    ("cosine_onecycle_schedule/defaults", O("cosine_onecycle_schedule", transition_steps=1000, peak_value=0.1)),
    ("cosine_onecycle_schedule/custom", O("cosine_onecycle_schedule", transition_steps=333, peak_value=3e-3, pct_start=0.25, div_factor=10.0, final_div_factor=100.0)),
    ("linear_onecycle_schedule/defaults", O("linear_onecycle_schedule", transition_steps=1000, peak_value=0.1)),
    ("linear_onecycle_schedule/custom", O("linear_onecycle_schedule", transition_steps=77, peak_value=1.0, pct_start=0.1, pct_final=0.9, div_factor=5.0, final_div_factor=50.0)),
    ("sgdr_schedule/three", O("sgdr_schedule", cosine_kwargs=[
        dict(init_value=0.0, peak_value=0.1, warmup_steps=10, decay_steps=100),
        dict(init_value=0.0, peak_value=0.05, warmup_steps=10, decay_steps=200, end_value=0.001),
        dict(init_value=0.01, peak_value=0.02, warmup_steps=0, decay_steps=300, exponent=2.0)])),
    ("sgdr_schedule/one", O("sgdr_schedule", cosine_kwargs=[dict(init_value=1e-4, peak_value=1e-3, warmup_steps=50, decay_steps=500)])),
    ("join_schedules/warmup-then-constant", O("join_schedules", schedules=[
        O("linear_schedule", init_value=0.0, end_value=0.001, transition_steps=100), O("constant_schedule", value=0.001)], boundaries=[100])),
    ("join_schedules/three-nested", O("join_schedules", schedules=[
        O("constant_schedule", value=0.1),
        O("join_schedules", schedules=[O("linear_schedule", init_value=0.1, end_value=0.2, transition_steps=10), O("cosine_decay_schedule", init_value=0.2, decay_steps=50)], boundaries=[10]),
        O("exponential_decay", init_value=0.05, transition_steps=7, decay_rate=0.9)], boundaries=[20, 50])),
]


def steps_of(fn, c):
    pts = {0, 1, 2, 3, 5, 10, 100, 1000, 10**5, 10**7}

    def around(*bs):
        for b in bs:
            b = math.floor(b)
            pts.update({b - 1, b, b + 1})

    if fn in ("linear_schedule", "polynomial_schedule"):
        B = c.get("transition_begin", 0)
        around(B, B + c["transition_steps"], B + c["transition_steps"] / 2)
    if fn == "cosine_decay_schedule":
        around(c["decay_steps"], c["decay_steps"] / 2, 2 * c["decay_steps"])
    if fn == "exponential_decay":
        B = c.get("transition_begin", 0)
        around(B, B + c["transition_steps"], B + 10 * c["transition_steps"], B + 20 * c["transition_steps"])
    if fn in ("piecewise_constant_schedule", "piecewise_interpolate_schedule"):
        around(*[int(k) for k in (c.get("boundaries_and_scales") or {})])
        for k in (c.get("boundaries_and_scales") or {}):
            pts.add(int(k) // 2 + 1)
    if fn in ("cosine_onecycle_schedule", "linear_onecycle_schedule"):
        T = c["transition_steps"]
        around(int(c.get("pct_start", 0.3) * T), int(c.get("pct_final", 0.85) * T), T, T / 2)
    if fn == "warmup_cosine_decay_schedule":
        around(c["warmup_steps"], c["decay_steps"], (c["warmup_steps"] + c["decay_steps"]) / 2)
    if fn == "warmup_exponential_decay_schedule":
        W, B, T = c["warmup_steps"], c.get("transition_begin", 0), c["transition_steps"]
        around(W, W + B, W + B + T, W + B + 5 * T, W + B + 20 * T)
    if fn == "sgdr_schedule":
        s = 0
        for kw in c["cosine_kwargs"]:
            around(s + kw["warmup_steps"], s + kw["decay_steps"], s + kw["decay_steps"] // 2)
            s += kw["decay_steps"]
    if fn == "join_schedules":
        off = [0] + list(c["boundaries"])
        around(*c["boundaries"])
        for o, sub in zip(off, c["schedules"]):
            pts.update(o + p for p in steps_of(sub["function"], sub["config"]) if p < 200)
    return sorted(p for p in pts if p >= 0)


def main():
    cases = []
    for cid, inp in CASES:
        fn, c = inp["function"], inp["config"]
        sched = build(fn, c)
        steps = steps_of(fn, c)
        fw = [float(jnp.asarray(sched(jnp.asarray(t, dtype=jnp.int64)), dtype=jnp.float64)) for t in steps]
        ex = [float(exact(fn, c, t)) for t in steps]
        drift = [drift_bound(fn, c, t, v) for t, v in zip(steps, ex)]
        cases.append({"id": cid, "name": fn, "input": inp, "steps": steps, "framework": fw, "exact": ex,
                      "drift_bound": drift if any(d is not None for d in drift) else None})
    doc = {
        "generator": "scripts/dialect-fixtures/optax.py",
        "versions": {"optax": optax.__version__, "jax": jax.__version__, "mpmath": mpmath.__version__, "python": platform.python_version(),
                     "x64": bool(jax.config.jax_enable_x64)},
        "cases": cases,
    }
    write_fixture(OUT, doc, indent=1)
    print(f"{len(cases)} cases, {sum(len(c['steps']) for c in cases)} values -> {OUT}")


if __name__ == "__main__":
    main()
