"""Writes test/fixtures/dialects/pytorch.json from real PyTorch (the tests need no Python).

    python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 mpmath
    .venv/bin/python scripts/dialect-fixtures/pytorch.py

For every case: the PyTorch JSON form our dialect reads
(`{"module": "torch.optim.lr_scheduler", "class_name", "config", "lr"}`), the steps, and
- `torch`: optimizer.param_groups[0]["lr"] after t calls of `optimizer.step();
  scheduler.step()` on SGD(lr = lr) over a float64 parameter (torch's own float64
  arithmetic, recursive where the scheduler is), or the error torch raises at that step;
- `exact`: an independent closed form in mpmath at 60 digits, written as the nearest
  double (`null` where torch raises).
`refused` lists configs torch accepts (or crashes on only later) that the dialect refuses,
with what torch does with them (docs/bad-inputs.md#pytorch-schedules-torch-accepts).
"""

import math
import os
import platform
import sys
import warnings

import mpmath
import torch
from torch.optim import lr_scheduler as L
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import FIXTURES, write_fixture  # noqa: E402

mpmath.mp.dps = 60
mp = mpmath.mpf
PI = mpmath.pi

OUT = os.path.join(FIXTURES, "dialects", "pytorch.json")
MODULE = "torch.optim.lr_scheduler"


# --------------------------------------------------------------------------------------
# torch


def make_optimizer(lr):
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    return torch.optim.SGD([p], lr=lr)


def build(opt, obj):
    cls = getattr(L, obj["class_name"])
    cfg = dict(obj["config"])
    if obj["class_name"] == "SequentialLR":
        # the children are made in list order on the same optimizer, then the sequence
        children = [build(opt, c) for c in cfg["schedulers"]]
        return L.SequentialLR(opt, schedulers=children, milestones=cfg["milestones"])
    return cls(opt, **cfg)


def torch_values(obj, steps):
    """lr after t steps for each t in steps (sorted); an error string from the first step that raises."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = make_optimizer(obj.get("lr", 0.001))
        sched = build(opt, obj)
        last = max(steps)
        want = set(steps)
        err = None
        for t in range(last + 1):
            if t > 0:
                opt.step()
                try:
                    sched.step()
                except Exception as e:  # noqa: BLE001 - recorded (OneCycleLR past total_steps)
                    err = f"{type(e).__name__}: {e}"
            if t in want:
                out[t] = err if err is not None else float(opt.param_groups[0]["lr"])
            if err is not None and t > last:
                break
    return [out[t] for t in steps]


# --------------------------------------------------------------------------------------
# the independent closed forms (mpmath, 60 digits), from the torch documentation's formulas


def cfg_get(obj, key, default):
    v = obj["config"].get(key, default)
    return default if v is None else v


def exact_value(obj, t, base=None):
    name = obj["class_name"]
    c = obj["config"]
    lr = mp(obj["lr"]) if base is None else base
    if name == "StepLR":
        return lr * mp(cfg_get(obj, "gamma", 0.1)) ** (t // c["step_size"])
    if name == "MultiStepLR":
        k = sum(1 for m in c["milestones"] if m <= t)
        return lr * mp(cfg_get(obj, "gamma", 0.1)) ** k
    if name == "ConstantLR":
        f = mp(cfg_get(obj, "factor", 1.0 / 3))
        return lr * f if t < cfg_get(obj, "total_iters", 5) else lr
    if name == "LinearLR":
        s = mp(cfg_get(obj, "start_factor", 1.0 / 3))
        e = mp(cfg_get(obj, "end_factor", 1.0))
        T = cfg_get(obj, "total_iters", 5)
        return lr * (s + (e - s) * mp(min(T, t)) / T)
    if name == "ExponentialLR":
        return lr * mp(c["gamma"]) ** t
    if name == "PolynomialLR":
        T = cfg_get(obj, "total_iters", 5)
        p = mp(cfg_get(obj, "power", 1.0))
        x = 1 - mp(min(T, t)) / T
        return lr * (x**p if not (x == 0 and p == 0) else mp(1))
    if name == "CosineAnnealingLR":
        eta = mp(cfg_get(obj, "eta_min", 0.0))
        return eta + (lr - eta) * (1 + mpmath.cos(PI * t / c["T_max"])) / 2
    if name == "CosineAnnealingWarmRestarts":
        eta = mp(cfg_get(obj, "eta_min", 0.0))
        Ti = c["T_0"]
        m = cfg_get(obj, "T_mult", 1)
        start = 0
        while t >= start + Ti:  # integers: exact
            start += Ti
            Ti *= m
        return eta + (lr - eta) * (1 + mpmath.cos(PI * (t - start) / Ti)) / 2
    if name == "OneCycleLR":
        return onecycle_exact(obj, t)
    if name == "CyclicLR":
        b = mp(c["base_lr"])
        M = mp(c["max_lr"])
        up = mp(cfg_get(obj, "step_size_up", 2000))
        down = mp(cfg_get(obj, "step_size_down", cfg_get(obj, "step_size_up", 2000)))
        total = up + down
        ratio = up / total
        cycle = mpmath.floor(1 + t / total)
        x = 1 + t / total - cycle
        s = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        mode = cfg_get(obj, "mode", "triangular")
        scale = mp(1) if mode == "triangular" else (1 / mp(2) ** (cycle - 1) if mode == "triangular2" else mp(cfg_get(obj, "gamma", 1.0)) ** t)
        return b + (M - b) * s * scale
    if name == "SequentialLR":
        ms = c["milestones"]
        i = sum(1 for m in ms if m <= t)
        begin = ms[i - 1] if i > 0 else 0
        child = dict(c["schedulers"][i])
        child["lr"] = obj["lr"]
        return exact_value(child, t - begin)
    raise ValueError(name)


def onecycle_phase_ends(obj):
    """The phase end steps as torch computes them (Python floats), the lrs at the phase ends."""
    c = obj["config"]
    T = c.get("total_steps")
    if T is None:
        T = c["epochs"] * c["steps_per_epoch"]
    pct = cfg_get(obj, "pct_start", 0.3)
    max_lr = c["max_lr"]
    init = max_lr / cfg_get(obj, "div_factor", 25.0)
    mn = init / cfg_get(obj, "final_div_factor", 1e4)
    if cfg_get(obj, "three_phase", False):
        phases = [(float(pct * T) - 1, init, max_lr), (float(2 * pct * T) - 2, max_lr, init), (T - 1, init, mn)]
    else:
        phases = [(float(pct * T) - 1, init, max_lr), (T - 1, max_lr, mn)]
    return T, phases


def onecycle_exact(obj, t):
    T, phases = onecycle_phase_ends(obj)
    if t > T:
        return None
    start = mp(0)
    for i, (end, a, b) in enumerate(phases):
        if t <= end or i == len(phases) - 1:
            pct = (t - start) / (mp(end) - start)
            a, b = mp(a), mp(b)
            if cfg_get(obj, "anneal_strategy", "cos") == "cos":
                return b + (a - b) / 2 * (mpmath.cos(PI * pct) + 1)
            return (b - a) * pct + a
        start = mp(end)
    raise AssertionError


# --------------------------------------------------------------------------------------
# the cases


def form(name, lr, **config):
    obj = {"module": MODULE, "class_name": name, "config": config}
    if lr is not None:
        obj["lr"] = lr
    return obj


def child(name, **config):
    return {"module": MODULE, "class_name": name, "config": config}


def around(*points, lo=0):
    """Each point and its neighbours (≥ lo)."""
    out = set()
    for p in points:
        for d in (-1, 0, 1):
            if p + d >= lo:
                out.add(int(p + d))
    return out


CASES = []


def case(cid, obj, steps):
    CASES.append((cid, obj, sorted(set(int(s) for s in steps if s >= 0))))


# StepLR
case("step-doc", form("StepLR", 0.05, step_size=30, gamma=0.1), around(0, 30, 60, 90) | {200, 1000})
case("step-every", form("StepLR", 1.0, step_size=1, gamma=0.5), range(0, 41))
case("step-default-gamma", form("StepLR", 0.1, step_size=7), around(7, 14, 21, 70) | {0, 500})
case("step-grow", form("StepLR", 0.001, step_size=3, gamma=1.5), around(3, 6, 9, 30) | {0, 300})
case("step-long", form("StepLR", 0.3, step_size=1000, gamma=0.96), around(1000, 5000, 20000) | {0, 7})
# MultiStepLR
case("multistep-doc", form("MultiStepLR", 0.05, milestones=[30, 80], gamma=0.1), around(0, 30, 80) | {200})
case("multistep-consecutive", form("MultiStepLR", 1.0, milestones=[1, 2, 3], gamma=0.5), range(0, 8))
case("multistep-repeated", form("MultiStepLR", 0.1, milestones=[5, 5, 10], gamma=0.5), around(0, 5, 10) | {50})
case("multistep-at-zero", form("MultiStepLR", 0.1, milestones=[0, 10]), around(0, 10) | {100})
case("multistep-none", form("MultiStepLR", 0.2, milestones=[]), [0, 1, 10, 1000])
case("multistep-many", form("MultiStepLR", 0.3, milestones=[100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], gamma=0.8), around(0, *range(100, 1001, 100)) | {5000})
# ConstantLR
case("constant-defaults", form("ConstantLR", 0.1), around(0, 5) | {100})
case("constant-half", form("ConstantLR", 0.05, factor=0.5, total_iters=10), around(0, 10) | {1000})
case("constant-one-step", form("ConstantLR", 1.0, factor=0.25, total_iters=1), range(0, 5))
case("constant-factor-one", form("ConstantLR", 0.1, factor=1.0, total_iters=4), range(0, 8))
case("constant-factor-zero-third", form("ConstantLR", 3.0, factor=0.1, total_iters=1000), around(0, 1000) | {500, 5000})
# LinearLR
case("linear-defaults", form("LinearLR", 0.1), around(0, 5) | {100})
case("linear-warmup", form("LinearLR", 0.01, start_factor=0.1, end_factor=1.0, total_iters=100), around(0, 50, 100) | {1000})
case("linear-decay-to-zero", form("LinearLR", 0.1, start_factor=1.0, end_factor=0.0, total_iters=50), around(0, 25, 50) | {48, 200})
case("linear-down", form("LinearLR", 2.0, start_factor=0.5, end_factor=0.25, total_iters=1000), around(0, 500, 1000) | {3000})
case("linear-long", form("LinearLR", 1.0, start_factor=0.001, end_factor=1.0, total_iters=20000), around(0, 10000, 20000) | {30000})
case("linear-long-to-zero", form("LinearLR", 1.0, start_factor=1.0, end_factor=0.0, total_iters=20000), around(0, 10000, 19990, 20000) | {19999, 19995, 30000})
case("linear-third-to-zero", form("LinearLR", 0.3, start_factor=1.0 / 3, end_factor=0.0, total_iters=999), around(0, 500, 998, 999) | {997, 2000})
case("linear-one-step", form("LinearLR", 0.5, start_factor=0.2, end_factor=0.8, total_iters=1), range(0, 5))
# ExponentialLR
case("exp-0.9", form("ExponentialLR", 0.1, gamma=0.9), around(0, 10, 100) | {500})
case("exp-0.99", form("ExponentialLR", 1.0, gamma=0.99), around(0, 1000, 5000))
case("exp-grow", form("ExponentialLR", 1e-4, gamma=1.01), around(0, 100, 2000))
case("exp-long", form("ExponentialLR", 1.0, gamma=0.9999), around(0, 10000, 30000))
case("exp-half", form("ExponentialLR", 3.0, gamma=0.5), range(0, 60, 3))
# PolynomialLR
case("poly-defaults", form("PolynomialLR", 0.1), around(0, 5) | {100})
case("poly-square", form("PolynomialLR", 0.05, total_iters=100, power=2.0), around(0, 50, 99, 100) | {1000})
case("poly-sqrt", form("PolynomialLR", 1.0, total_iters=50, power=0.5), around(0, 25, 50) | {500})
case("poly-power-zero", form("PolynomialLR", 0.3, total_iters=10, power=0.0), around(0, 10) | {50})
case("poly-cubic-long", form("PolynomialLR", 0.2, total_iters=1000, power=3.0), around(0, 500, 1000) | {999, 4000})
# CosineAnnealingLR (rises again past T_max: period 2·T_max)
case("cos-10", form("CosineAnnealingLR", 0.1, T_max=10), around(0, 5, 10, 15, 20, 30, 40) | {101})
case("cos-floor", form("CosineAnnealingLR", 0.05, T_max=100, eta_min=1e-4), around(0, 50, 100, 150, 200, 300) | {1000, 1001})
case("cos-up", form("CosineAnnealingLR", 0.1, T_max=50, eta_min=0.2), around(0, 25, 50, 100, 150))
case("cos-one", form("CosineAnnealingLR", 0.1, T_max=1, eta_min=0.01), range(0, 8))
case("cos-long", form("CosineAnnealingLR", 0.1, T_max=5000), around(0, 2500, 4990, 4999, 5000, 5010, 7500, 9999, 10000) | {4995, 4998})
case("cos-floor-third", form("CosineAnnealingLR", 0.3, T_max=999, eta_min=0.1 / 3), around(0, 500, 999, 1998) | {997, 998, 2500})
case("cos-odd", form("CosineAnnealingLR", 1.0, T_max=7, eta_min=0.01), range(0, 60))
# CosineAnnealingWarmRestarts
case("cawr-fixed", form("CosineAnnealingWarmRestarts", 0.1, T_0=10), around(0, 10, 20, 30) | {5, 1000})
case("cawr-double", form("CosineAnnealingWarmRestarts", 0.05, T_0=5, T_mult=2, eta_min=0.001), around(0, 5, 15, 35, 75, 155) | {1000})
case("cawr-triple", form("CosineAnnealingWarmRestarts", 1.0, T_0=3, T_mult=3, eta_min=0.0), around(0, 3, 12, 39, 120) | {500})
case("cawr-one", form("CosineAnnealingWarmRestarts", 0.2, T_0=1, T_mult=2), around(0, 1, 3, 7, 15, 31) | {100})
case("cawr-long", form("CosineAnnealingWarmRestarts", 0.01, T_0=100, eta_min=1e-5), around(0, 50, 100, 200) | {99, 199, 1000})


def onecycle_steps(obj):
    T, phases = onecycle_phase_ends(obj)
    pts = {0, 1, T - 1, T, T + 1}
    for end, _, _ in phases:
        pts |= around(math.floor(end), math.ceil(end))
    pts |= {T // 2, T // 3}
    return [p for p in pts if 0 <= p <= T + 1]


for cid, lr, cfg in [
    ("onecycle-defaults", 0.004, dict(max_lr=0.1, total_steps=100)),
    ("onecycle-linear", 0.004, dict(max_lr=0.1, total_steps=100, anneal_strategy="linear")),
    ("onecycle-three", 0.004, dict(max_lr=0.1, total_steps=100, three_phase=True)),
    ("onecycle-three-linear", 0.004, dict(max_lr=0.1, total_steps=100, three_phase=True, anneal_strategy="linear")),
    ("onecycle-epochs", 0.01, dict(max_lr=1.0, epochs=10, steps_per_epoch=20, pct_start=0.25, div_factor=10.0, final_div_factor=100.0)),
    ("onecycle-fraction", 0.01, dict(max_lr=0.5, total_steps=37, pct_start=0.33, cycle_momentum=False)),
    ("onecycle-three-fraction", 0.01, dict(max_lr=0.5, total_steps=37, pct_start=0.21, three_phase=True, anneal_strategy="linear")),
    ("onecycle-no-warmup", 0.01, dict(max_lr=0.2, total_steps=50, pct_start=0.0)),
    ("onecycle-tiny-warmup", 0.01, dict(max_lr=0.2, total_steps=3, pct_start=0.3)),
    ("onecycle-long", 0.01, dict(max_lr=0.01, total_steps=10000, pct_start=0.1, div_factor=100.0, final_div_factor=1000.0)),
    ("onecycle-three-long", 0.01, dict(max_lr=0.01, total_steps=5000, pct_start=0.4, three_phase=True)),
]:
    obj = form("OneCycleLR", lr, **cfg)
    case(cid, obj, onecycle_steps(obj))

# CyclicLR (cycle_momentum False: SGD's momentum is not cycled)
case("cyclic-triangular", form("CyclicLR", 0.001, base_lr=0.001, max_lr=0.01, step_size_up=10, cycle_momentum=False), around(0, 10, 20, 30, 40) | {5, 15, 1000})
case("cyclic-asym", form("CyclicLR", 0.001, base_lr=0.001, max_lr=0.006, step_size_up=4, step_size_down=6, cycle_momentum=False), range(0, 45))
case("cyclic-triangular2", form("CyclicLR", 0.001, base_lr=0.0001, max_lr=0.1, step_size_up=5, mode="triangular2", cycle_momentum=False), around(0, 5, 10, 15, 20, 30, 50) | {200})
case("cyclic-exp-range", form("CyclicLR", 0.001, base_lr=0.001, max_lr=0.01, step_size_up=5, step_size_down=15, mode="exp_range", gamma=0.99, cycle_momentum=False), around(0, 5, 20, 25, 40, 400) | {2000})
case("cyclic-fractional", form("CyclicLR", 0.001, base_lr=0.002, max_lr=0.02, step_size_up=2.5, step_size_down=3.5, cycle_momentum=False), range(0, 30))
case("cyclic-default-steps", form("CyclicLR", 0.001, base_lr=0.001, max_lr=0.1, cycle_momentum=False), around(0, 1000, 2000, 4000, 6000, 8000))
case("cyclic-down-heavy", form("CyclicLR", 0.001, base_lr=0.05, max_lr=0.01, step_size_up=3, step_size_down=7, mode="triangular2", cycle_momentum=False), range(0, 60))

# SequentialLR (children in list order on one optimizer; each child at t − its milestone)
case("seq-warmup-cos", form("SequentialLR", 0.1, schedulers=[child("LinearLR", start_factor=0.01, total_iters=10), child("CosineAnnealingLR", T_max=90)], milestones=[10]), around(0, 10, 55, 100, 190) | {300})
case("seq-constant-exp", form("SequentialLR", 0.1, schedulers=[child("ConstantLR", factor=0.1, total_iters=2), child("ExponentialLR", gamma=0.9)], milestones=[2]), range(0, 30))
case("seq-three", form("SequentialLR", 0.5, schedulers=[child("LinearLR", start_factor=0.25, total_iters=4), child("StepLR", step_size=5, gamma=0.5), child("MultiStepLR", milestones=[3, 8], gamma=0.1)], milestones=[4, 20]), range(0, 40))
case("seq-exp-restarts", form("SequentialLR", 0.2, schedulers=[child("ExponentialLR", gamma=0.95), child("CosineAnnealingWarmRestarts", T_0=5, T_mult=2, eta_min=0.001)], milestones=[6]), around(0, 6, 11, 21, 41) | {100})
case("seq-warmup-poly", form("SequentialLR", 0.05, schedulers=[child("LinearLR", start_factor=0.1, end_factor=1.0, total_iters=20), child("PolynomialLR", total_iters=80, power=2.0)], milestones=[20]), around(0, 20, 60, 100) | {500})
case("seq-warmup-cyclic", form("SequentialLR", 0.01, schedulers=[child("LinearLR", start_factor=0.5, total_iters=5), child("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=4, cycle_momentum=False)], milestones=[5]), range(0, 40))
case("seq-step-constant-linear", form("SequentialLR", 1.0, schedulers=[child("StepLR", step_size=2, gamma=0.5), child("ConstantLR", factor=0.5, total_iters=3), child("LinearLR", start_factor=1.0, end_factor=0.1, total_iters=6)], milestones=[5, 9]), range(0, 25))
case("seq-milestone-one", form("SequentialLR", 0.3, schedulers=[child("ExponentialLR", gamma=0.5), child("CosineAnnealingLR", T_max=4, eta_min=0.01)], milestones=[1]), range(0, 20))

# configs torch accepts (or fails on only at a later step) that the dialect refuses
REFUSED = [
    ("step-size-zero", form("StepLR", 0.1, step_size=0), "a zero period: torch divides by zero at the first step"),
    ("step-size-negative", form("StepLR", 0.1, step_size=-3), "a negative period"),
    ("step-gamma-zero", form("StepLR", 0.1, step_size=3, gamma=0.0), "gamma 0 zeroes the rate"),
    ("multistep-negative", form("MultiStepLR", 0.1, milestones=[-5, 10]), "a negative milestone is never reached by stepping but counts in torch's closed form"),
    ("constant-total-zero", form("ConstantLR", 0.1, factor=0.5, total_iters=0), "a zero horizon: the factor is applied at step 0 and never undone"),
    ("constant-factor-zero", form("ConstantLR", 0.1, factor=0.0, total_iters=3), "factor 0: torch divides by zero at total_iters"),
    ("linear-total-zero", form("LinearLR", 0.1, start_factor=0.5, total_iters=0), "a zero horizon: start_factor forever (the closed form divides by zero)"),
    ("poly-total-zero", form("PolynomialLR", 0.1, total_iters=0), "a zero horizon: base lr forever (the closed form divides by zero)"),
    ("poly-total-negative", form("PolynomialLR", 0.1, total_iters=-4), "a negative horizon"),
    ("cos-tmax-zero", form("CosineAnnealingLR", 0.1, T_max=0), "T_max = 0: torch divides by zero"),
    ("cos-tmax-negative", form("CosineAnnealingLR", 0.1, T_max=-10), "a negative horizon"),
    ("exp-gamma-zero", form("ExponentialLR", 0.1, gamma=0.0), "gamma 0 zeroes the rate"),
    ("exp-gamma-negative", form("ExponentialLR", 0.1, gamma=-0.5), "a negative gamma flips the sign every step"),
    ("cyclic-up-zero", form("CyclicLR", 0.001, base_lr=0.001, max_lr=0.01, step_size_up=0, step_size_down=5, cycle_momentum=False), "a zero rising half: torch divides by zero at step 0"),
    ("onecycle-pct-one", form("OneCycleLR", 0.01, max_lr=0.1, total_steps=10, pct_start=1.0), "pct_start 1: the last phase is empty and torch divides by zero at step total_steps"),
    ("onecycle-pct-times-total-one", form("OneCycleLR", 0.01, max_lr=0.1, total_steps=10, pct_start=0.1), "pct_start·total_steps = 1: the first phase has length 0 and torch divides by zero at step 0"),
    ("seq-milestone-zero", form("SequentialLR", 0.1, schedulers=[child("ExponentialLR", gamma=0.9), child("StepLR", step_size=2)], milestones=[0]), "milestone 0: the first scheduler is never used"),
    ("seq-milestones-unsorted", form("SequentialLR", 0.1, schedulers=[child("ExponentialLR", gamma=0.9), child("StepLR", step_size=2), child("ConstantLR")], milestones=[8, 4]), "decreasing milestones: torch's bisect assumes sorted ones"),
]


def torch_behaviour(obj, n=12):
    try:
        v = torch_values(obj, list(range(n)))
    except Exception as e:  # noqa: BLE001 - recorded
        return f"constructor: {type(e).__name__}: {e}"
    return v


def near_double(x):
    return None if x is None else float(x)


def main():
    cases = []
    for cid, obj, steps in CASES:
        tv = torch_values(obj, steps)
        ex = [near_double(exact_value(obj, t)) for t in steps]
        cases.append({"id": cid, "json": obj, "steps": steps, "torch": tv, "exact": ex})
        print(f"{cid}: {len(steps)} steps", file=sys.stderr)
    refused = [{"id": cid, "json": obj, "why": why, "torch_first_values": torch_behaviour(obj)} for cid, obj, why in REFUSED]
    doc = {
        "torch_version": torch.__version__,
        "mpmath_version": mpmath.__version__,
        "mpmath_dps": mpmath.mp.dps,
        "python": platform.python_version(),
        "generator": "scripts/dialect-fixtures/pytorch.py",
        "cases": cases,
        "refused": refused,
    }
    write_fixture(OUT, doc, indent=1, allow_nan=False)
    print(f"wrote {OUT}: {len(cases)} cases, {sum(len(c['steps']) for c in cases)} values", file=sys.stderr)


if __name__ == "__main__":
    main()
