"""Writes test/fixtures/dialects/huggingface.json from real transformers (the tests need no Python).

    pip install torch transformers accelerate mpmath
    python scripts/dialect-fixtures/huggingface.py

For every case: the input as the dialect reads it (`input`: the TrainingArguments-style
object; some cases also carry `training_args_json`, the text TrainingArguments.to_json_string()
wrote for the same settings), the steps, and two value lists:
- `framework`: the learning rate transformers uses at step t, in float64: the scheduler that
  `get_scheduler` builds (with `TrainingArguments.get_warmup_steps` for the warmup, as
  Trainer.create_scheduler does) on `torch.optim.SGD(lr=learning_rate)`, read as
  `base_lr * lr_lambda(t)` (what LambdaLR computes after t calls of `step()`; checked
  against real `optimizer.step(); scheduler.step()` for the first steps of every case);
- `exact`: an independent closed form of the same schedule in mpmath at 60 digits (rational
  parts in exact fractions), rounded once to float64.
`drift_bound` (absolute, per step, or null) bounds |framework - exact| where transformers'
own float64 arithmetic loses relative accuracy: 1 + cos(theta) cancelling near the end of a
cosine (the argument theta carries <= 4 roundings), see docs/dialects.md. `flip` lists the
steps where cosine_with_restarts' `(num_cycles * progress) % 1.0` lands one ulp below a
whole number, so transformers gives the end of a cycle (about 0) where the closed form
restarts (learning_rate).
"""

import json
import math
import os
import platform
import sys
import tempfile
from fractions import Fraction as F

import mpmath
import torch
import transformers
from transformers import TrainingArguments
from transformers.optimization import get_scheduler
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import FIXTURES, write_fixture  # noqa: E402

mpmath.mp.dps = 60
OUT = os.path.join(FIXTURES, "dialects", "huggingface.json")
U = 2.0**-53


def warmup_steps_of(inp):
    """TrainingArguments.get_warmup_steps (transformers 5.x): warmup_steps >= 1 is a count
    (int()), below 1 a ratio of max_steps (ceil(T * R) in float64); warmup_ratio (4.x key):
    used when warmup_steps is 0."""
    ws = inp.get("warmup_steps", 0)
    T = inp.get("max_steps", -1)
    if "warmup_ratio" in inp and ws == 0:
        return math.ceil(T * inp["warmup_ratio"])
    return int(ws) if ws >= 1 else math.ceil(T * ws)


def framework(inp, steps):
    lr = inp["learning_rate"]
    T = inp.get("max_steps", -1)
    W = warmup_steps_of(inp)
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=lr)
    sched = get_scheduler(inp["lr_scheduler_type"], opt, num_warmup_steps=W, num_training_steps=T if T > 0 else None,
                          scheduler_specific_kwargs=dict(inp.get("lr_scheduler_kwargs") or {}))
    base = sched.base_lrs[0]
    lam = sched.lr_lambdas[0]
    vals = [float(base * lam(t)) for t in steps]
    # the closed form read above is what stepping gives: check the first steps for real
    real = []
    for t in range(min(max(steps) + 1, 300)):
        real.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    for t, v in zip(steps, vals):
        if t < len(real):
            assert real[t] == v, (inp, t, real[t], v)
    return vals, W


def mcos(x):
    return mpmath.cos(mpmath.pi * mpmath.mpf(x.numerator) / x.denominator)


def exact_lambda(name, t, W, T, kw, lr):
    """lambda(t) in exact arithmetic (fractions + mpmath), from the formulas as transformers documents them."""
    t = F(t)
    if name == "constant":
        return mpmath.mpf(1)
    if name == "warmup_stable_decay":
        m = F(kw.get("min_lr_ratio", 0))
        nc = F(kw.get("num_cycles", 0.5))
        Dd = kw["num_decay_steps"]
        S = kw["num_stable_steps"] if "num_stable_steps" in kw else T - W - Dd
        if t < W:
            pr = t / max(1, W)
            wt = kw.get("warmup_type", "linear")
            f = {"linear": lambda: mpmath.mpf(pr.numerator) / pr.denominator,
                 "cosine": lambda: (1 - mcos(pr)) / 2,
                 "1-sqrt": lambda: 1 - mpmath.sqrt(mpmath.mpf((1 - pr).numerator) / (1 - pr).denominator)}[wt]()
            return f * mpf(1 - m) + mpf(m)
        if t < W + S:
            return mpmath.mpf(1)
        if t < W + S + Dd:
            pr = (t - W - S) / max(1, Dd)
            dt = kw.get("decay_type", "cosine")
            f = {"linear": lambda: mpf(1 - pr), "cosine": lambda: (1 + mcos(2 * nc * pr)) / 2,
                 "1-sqrt": lambda: 1 - mpmath.sqrt(mpf(pr))}[dt]()
            return f * mpf(1 - m) + mpf(m)
        return mpf(m)
    if t < W:
        return mpf(t / max(1, W))
    if name == "constant_with_warmup":
        return mpmath.mpf(1)
    if name == "linear":
        return mpf(max(F(0), (T - t) / max(1, T - W)))
    if name in ("cosine", "cosine_with_min_lr"):
        nc = F(kw.get("num_cycles", 0.5))
        pr = (t - W) / max(1, T - W)
        c = (1 + mcos(2 * nc * pr)) / 2
        if name == "cosine":
            return c
        r = F(kw["min_lr"]) / F(lr) if "min_lr" in kw else F(kw["min_lr_rate"])
        return c * mpf(1 - r) + mpf(r)
    if name == "cosine_with_restarts":
        nc = F(kw.get("num_cycles", 1))
        pr = (t - W) / max(1, T - W)
        if pr >= 1:
            return mpmath.mpf(0)
        y = nc * pr
        return (1 + mcos(y - math.floor(y))) / 2
    if name == "polynomial":
        end = F(kw.get("lr_end", 1e-7))
        power = mpf(F(kw.get("power", 1.0)))
        lr0 = F(lr)
        if t > T:
            return mpf(end / lr0)
        rem = 1 - (t - W) / (T - W)
        return (mpf(lr0 - end) * mpf(rem) ** power + mpf(end)) / mpf(lr0)
    if name == "inverse_sqrt":
        ts = kw.get("timescale") or (W or 10000)
        return 1 / mpmath.sqrt(mpf((t + ts - W) / ts))
    raise ValueError(name)


def mpf(x):
    x = F(x)
    return mpmath.mpf(x.numerator) / x.denominator


def cos_theta(name, t, W, T, kw):
    """theta of the 1 + cos(theta) that transformers evaluates at step t, when the value is a cosine that can cancel."""
    if t < W:
        if name == "warmup_stable_decay" and kw.get("warmup_type") == "cosine":
            return None  # 1 - cos near 0: the warmup's start, value ~ min_lr_ratio or 0 (checked at 1e-9 where it is not 0)
        return None
    if name in ("cosine", "cosine_with_min_lr"):
        nc = kw.get("num_cycles", 0.5)
        return math.pi * nc * 2.0 * ((t - W) / max(1, T - W))
    if name == "cosine_with_restarts":
        nc = kw.get("num_cycles", 1)
        pr = (t - W) / max(1, T - W)
        return math.pi * ((nc * pr) % 1.0) if pr < 1 else None
    if name == "warmup_stable_decay" and kw.get("decay_type", "cosine") == "cosine":
        Dd = kw["num_decay_steps"]
        S = kw["num_stable_steps"] if "num_stable_steps" in kw else T - W - Dd
        if W + S <= t < W + S + Dd:
            return math.pi * kw.get("num_cycles", 0.5) * 2.0 * ((t - W - S) / max(1, Dd))
    return None


def drift_bound(name, t, W, T, kw, lr):
    """|framework - exact| <= lr * (1 - floor) * (|sin theta| * theta * 4u + 2u) / 2 + 8u * |value|: the argument
    theta = pi * (2 nc) * ((t - W) / D) carries at most 4 roundings (relative 4u: pi, two products, the
    division), cos adds <= 1 ulp (u absolute near -1), the sum 1 + cos one more; the affine floor map
    and the product by lr are a few relative roundings of the value (8u covers them)."""
    th = cos_theta(name, t, W, T, kw)
    if th is None:
        return None
    floor = 0.0
    if name == "cosine_with_min_lr":
        floor = kw["min_lr"] / lr if "min_lr" in kw else kw["min_lr_rate"]
    if name == "warmup_stable_decay":
        floor = kw.get("min_lr_ratio", 0)
    val = float(exact_lambda(name, t, W, T, kw, lr)) * lr
    return lr * (1 - floor) * (abs(math.sin(th)) * th * 4 * U + 2 * U) / 2 + 8 * U * abs(val)


def phase_steps(name, W, T, kw):
    pts = {0, 1, 2, W - 1, W, W + 1, T - 1, T, T + 1, 2 * T, 10 * T, (W + T) // 2}
    if name == "warmup_stable_decay":
        Dd = kw["num_decay_steps"]
        S = kw["num_stable_steps"] if "num_stable_steps" in kw else T - W - Dd
        for b in (W + S, W + S + Dd, W + S + Dd // 2):
            pts |= {b - 1, b, b + 1}
        pts |= {2 * (W + S + Dd)}
    if name == "cosine_with_restarts":
        nc = kw.get("num_cycles", 1)
        D = max(1, T - W)
        for k in range(1, int(math.ceil(nc)) + 1):
            b = W + F(k * D) / F(nc)
            for d in (-1, 0, 1):
                pts.add(math.floor(b) + d)
                pts.add(math.ceil(b) + d)
    if name == "inverse_sqrt":
        pts |= {10**6, 10**9}
    return sorted(p for p in pts if p >= 0)


CASES = [
    # (id, input) as a TrainingArguments-style object
    ("linear/defaults", dict(lr_scheduler_type="linear", learning_rate=5e-5, max_steps=1000)),
    ("linear/warmup", dict(lr_scheduler_type="linear", learning_rate=1e-3, warmup_steps=100, max_steps=1000)),
    ("linear/warmup-ratio-ceil", dict(lr_scheduler_type="linear", learning_rate=3e-4, warmup_steps=0.07, max_steps=100)),
    ("linear/warmup-equals-horizon", dict(lr_scheduler_type="linear", learning_rate=2e-4, warmup_steps=50, max_steps=50)),
    ("linear/long", dict(lr_scheduler_type="linear", learning_rate=1e-4, warmup_steps=2000, max_steps=10_000_000)),
    ("cosine/warmup", dict(lr_scheduler_type="cosine", learning_rate=1e-3, warmup_steps=100, max_steps=1000)),
    ("cosine/no-warmup-odd", dict(lr_scheduler_type="cosine", learning_rate=0.1, max_steps=777)),
    ("cosine/cycles-1.5", dict(lr_scheduler_type="cosine", learning_rate=2e-5, warmup_steps=10, max_steps=110, lr_scheduler_kwargs=dict(num_cycles=1.5))),
    ("cosine/long", dict(lr_scheduler_type="cosine", learning_rate=3e-4, warmup_steps=0.01, max_steps=10_000_000)),
    ("cosine/warmup-equals-horizon", dict(lr_scheduler_type="cosine", learning_rate=1e-3, warmup_steps=20, max_steps=20)),
    ("cosine_with_restarts/defaults", dict(lr_scheduler_type="cosine_with_restarts", learning_rate=1e-3, warmup_steps=100, max_steps=1000)),
    ("cosine_with_restarts/3-dividing", dict(lr_scheduler_type="cosine_with_restarts", learning_rate=5e-4, warmup_steps=100, max_steps=1000, lr_scheduler_kwargs=dict(num_cycles=3))),
    ("cosine_with_restarts/7-not-dividing", dict(lr_scheduler_type="cosine_with_restarts", learning_rate=5e-4, warmup_steps=100, max_steps=1000, lr_scheduler_kwargs=dict(num_cycles=7))),
    ("cosine_with_restarts/6-of-20", dict(lr_scheduler_type="cosine_with_restarts", learning_rate=1.0, max_steps=20, lr_scheduler_kwargs=dict(num_cycles=6))),
    ("cosine_with_restarts/10-of-30", dict(lr_scheduler_type="cosine_with_restarts", learning_rate=1.0, max_steps=30, lr_scheduler_kwargs=dict(num_cycles=10))),
    ("cosine_with_restarts/22-flip", dict(lr_scheduler_type="cosine_with_restarts", learning_rate=1e-3, warmup_steps=100, max_steps=1200, lr_scheduler_kwargs=dict(num_cycles=22))),
    ("polynomial/defaults", dict(lr_scheduler_type="polynomial", learning_rate=5e-5, warmup_steps=100, max_steps=1000)),
    ("polynomial/power-2", dict(lr_scheduler_type="polynomial", learning_rate=1e-3, warmup_steps=50, max_steps=500, lr_scheduler_kwargs=dict(lr_end=1e-5, power=2.0))),
    ("polynomial/power-half-no-warmup", dict(lr_scheduler_type="polynomial", learning_rate=0.01, max_steps=300, lr_scheduler_kwargs=dict(lr_end=0.0, power=0.5))),
    ("constant/plain", dict(lr_scheduler_type="constant", learning_rate=5e-5)),
    ("constant/with-horizon", dict(lr_scheduler_type="constant", learning_rate=0.3, max_steps=100)),
    ("constant_with_warmup/warmup", dict(lr_scheduler_type="constant_with_warmup", learning_rate=1e-3, warmup_steps=100)),
    ("constant_with_warmup/ratio", dict(lr_scheduler_type="constant_with_warmup", learning_rate=7e-4, warmup_steps=0.15, max_steps=333)),
    ("constant_with_warmup/no-warmup", dict(lr_scheduler_type="constant_with_warmup", learning_rate=0.25)),
    ("inverse_sqrt/warmup", dict(lr_scheduler_type="inverse_sqrt", learning_rate=1e-3, warmup_steps=100)),
    ("inverse_sqrt/no-warmup", dict(lr_scheduler_type="inverse_sqrt", learning_rate=0.01)),
    ("inverse_sqrt/timescale", dict(lr_scheduler_type="inverse_sqrt", learning_rate=5e-4, warmup_steps=100, lr_scheduler_kwargs=dict(timescale=500))),
    ("cosine_with_min_lr/rate", dict(lr_scheduler_type="cosine_with_min_lr", learning_rate=1e-3, warmup_steps=100, max_steps=1000, lr_scheduler_kwargs=dict(min_lr_rate=0.1))),
    ("cosine_with_min_lr/min-lr", dict(lr_scheduler_type="cosine_with_min_lr", learning_rate=3e-4, warmup_steps=30, max_steps=300, lr_scheduler_kwargs=dict(min_lr=1e-5))),
    ("cosine_with_min_lr/cycles-1", dict(lr_scheduler_type="cosine_with_min_lr", learning_rate=1e-3, max_steps=200, lr_scheduler_kwargs=dict(min_lr_rate=0.05, num_cycles=1.0))),
]
for wt in ("linear", "cosine", "1-sqrt"):
    for dt in ("linear", "cosine", "1-sqrt"):
        CASES.append((f"warmup_stable_decay/{wt}-{dt}", dict(lr_scheduler_type="warmup_stable_decay", learning_rate=1e-3, warmup_steps=100, max_steps=1000,
                                                              lr_scheduler_kwargs=dict(num_decay_steps=200, warmup_type=wt, decay_type=dt, min_lr_ratio=0.1))))
CASES += [
    ("warmup_stable_decay/defaults", dict(lr_scheduler_type="warmup_stable_decay", learning_rate=1e-3, warmup_steps=50, max_steps=500, lr_scheduler_kwargs=dict(num_decay_steps=100))),
    ("warmup_stable_decay/stable-given", dict(lr_scheduler_type="warmup_stable_decay", learning_rate=2e-3, warmup_steps=10,
                                                lr_scheduler_kwargs=dict(num_decay_steps=40, num_stable_steps=50, decay_type="1-sqrt"))),
    ("warmup_stable_decay/cycles", dict(lr_scheduler_type="warmup_stable_decay", learning_rate=1e-3, warmup_steps=0.1, max_steps=1000,
                                          lr_scheduler_kwargs=dict(num_decay_steps=300, decay_type="cosine", num_cycles=1.0, min_lr_ratio=0.0))),
]

# whole training_args.json files: TrainingArguments(...).to_json_string()
TRAINING_ARGS = {
    "cosine/warmup": "cosine-warmup",
    "warmup_stable_decay/cosine-1-sqrt": "wsd",
    "cosine_with_min_lr/rate": "min-lr",
}


def training_args_json(inp):
    kwargs = {k: v for k, v in inp.items()}
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)  # output_dir is recorded as given (relative), nothing is written there
        try:
            args = TrainingArguments(output_dir="trainer_output", report_to="none", **kwargs)
            return args.to_json_string()
        finally:
            os.chdir(here)


def main():
    cases = []
    for cid, inp in CASES:
        name = inp["lr_scheduler_type"]
        kw = inp.get("lr_scheduler_kwargs") or {}
        T = inp.get("max_steps", -1)
        W = warmup_steps_of(inp)
        Tp = T if T > 0 else 1000
        steps = phase_steps(name, W, Tp, kw)
        fw, W2 = framework(inp, steps)
        assert W2 == W
        lr = inp["learning_rate"]
        exact = [float(exact_lambda(name, t, W, T, kw, lr) * mpf(lr)) for t in steps]
        drift = [drift_bound(name, t, W, T, kw, lr) for t in steps]
        flips = [t for t, f, e in zip(steps, fw, exact) if name == "cosine_with_restarts" and abs(f - e) > 0.5 * lr]
        case = {"id": cid, "name": name, "input": inp, "warmup": W, "steps": steps, "framework": fw, "exact": exact,
                "drift_bound": drift if any(d is not None for d in drift) else None, "flip": flips}
        if cid in TRAINING_ARGS:
            text = training_args_json(inp)
            case["training_args_json"] = text
            # the text's schedule keys are the input's
            d = json.loads(text)
            for k, v in inp.items():
                assert d[k] == v, (cid, k, d[k], v)
        cases.append(case)
    doc = {
        "generator": "scripts/dialect-fixtures/huggingface.py",
        "versions": {"transformers": transformers.__version__, "torch": torch.__version__, "mpmath": mpmath.__version__,
                     "python": platform.python_version()},
        "cases": cases,
    }
    write_fixture(OUT, doc, indent=1)
    print(f"{len(cases)} cases, {sum(len(c['steps']) for c in cases)} values -> {OUT}")


if __name__ == "__main__":
    main()
