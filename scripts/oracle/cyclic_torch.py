#!/usr/bin/env python3
"""Fixtures for the Cyclic primitive (src/schedules/cyclic.ts): the learning rates of the REAL
torch.optim.lr_scheduler.CyclicLR (cycle_momentum=False) on SGD(lr=base_lr), and the same
formula in exact arithmetic by mpmath (1000 bits), at every cycle boundary, peak and phase
end of each case plus large steps.

The torch value at step t is optimizer.param_groups[0]["lr"] after t calls of
`optimizer.step(); scheduler.step()`. Up to 3000 steps the script makes those calls; for a
larger t it sets `scheduler.last_epoch = t - 1` and makes the last call (CyclicLR.get_lr is
a closed form of last_epoch, so this is the same value).

Writes test/fixtures/oracle/cyclic-torch.json: [{config (the library's camelCase Cyclic
config), step, torch (float64 as JSON; null where torch raises OverflowError: triangular2 past
cycle 1025, whose 2.0 ** (cycle - 1) overflows a float, and exp_range's gamma ** t for gamma > 1), exact (decimal string, 60 digits)}].
Run: /path/to/python-with-torch scripts/oracle/cyclic_torch.py  (torch 2.13, mpmath 1.3)
"""
import math
import os
import sys
import warnings

import torch
from mpmath import mp, mpf, floor
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import FIXTURES, exact_text, write_fixture  # noqa: E402

mp.prec = 1000

CASES = [
    {"baseLr": 0.001, "maxLr": 0.006, "stepSizeUp": 2000, "mode": "triangular"},
    {"baseLr": 0.001, "maxLr": 0.006, "stepSizeUp": 2000, "mode": "triangular2"},
    {"baseLr": 0.001, "maxLr": 0.006, "stepSizeUp": 2000, "mode": "exp_range", "gamma": 0.99994},
    {"baseLr": 1e-4, "maxLr": 0.1, "stepSizeUp": 7, "stepSizeDown": 13, "mode": "triangular2"},
    {"baseLr": 1e-4, "maxLr": 0.1, "stepSizeUp": 7, "stepSizeDown": 13, "mode": "exp_range", "gamma": 0.97},
    {"baseLr": 0.0, "maxLr": 1.0, "stepSizeUp": 2.5, "stepSizeDown": 0.75, "mode": "triangular"},
    {"baseLr": 0.5, "maxLr": 0.01, "stepSizeUp": 100, "stepSizeDown": 50, "mode": "triangular"},
    {"baseLr": 0.5, "maxLr": 0.01, "stepSizeUp": 100, "stepSizeDown": 50, "mode": "exp_range", "gamma": 0.999},
    {"baseLr": 0.1, "maxLr": 0.2, "stepSizeUp": 1, "mode": "triangular2"},
    {"baseLr": 3e-4, "maxLr": 3e-3, "stepSizeUp": 1000, "stepSizeDown": 3000, "mode": "exp_range", "gamma": 1.0001},
    {"baseLr": 1e-3, "maxLr": 1e-2, "stepSizeUp": 1e6, "stepSizeDown": 3e6, "mode": "triangular"},
]


def steps_of(c):
    up = c["stepSizeUp"]
    down = c.get("stepSizeDown") or up
    T = up + down
    out = {0, 1, 2, 3, 10, 100, 999, 1000, 1001, 2999, 3000, 2**24 + 1, 2**31, 2**32 - 1}
    for k in range(4):
        for b in (k * T, k * T + up):
            for d in (-1, 0, 1):
                t = math.floor(b) + d
                if t >= 0:
                    out.add(t)
                    out.add(math.ceil(b) + d if math.ceil(b) + d >= 0 else 0)
    return sorted(x for x in out if x <= 2**32 - 1)


def torch_values(c, steps):
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=c["baseLr"])
    kw = dict(base_lr=c["baseLr"], max_lr=c["maxLr"], step_size_up=c["stepSizeUp"], mode=c["mode"],
              gamma=c.get("gamma", 1.0), cycle_momentum=False)
    if "stepSizeDown" in c:
        kw["step_size_down"] = c["stepSizeDown"]
    sched = torch.optim.lr_scheduler.CyclicLR(opt, **kw)
    out = {}
    t = 0

    def advance():
        # a float power that overflows (triangular2's 2.0 ** (cycle - 1) past cycle 1025, gamma ** t):
        # torch raises OverflowError there (after advancing last_epoch), recorded as None
        opt.step()
        try:
            sched.step()
            return opt.param_groups[0]["lr"]
        except OverflowError:
            return None

    lr = opt.param_groups[0]["lr"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in steps:
            if s <= 3000:
                while t < s:
                    lr = advance()
                    t += 1
                out[s] = lr
            else:
                sched.last_epoch = s - 1
                out[s] = advance()
    return out


def exact(c, t):
    base, mx, up = mpf(c["baseLr"]), mpf(c["maxLr"]), mpf(c["stepSizeUp"])
    down = mpf(c["stepSizeDown"]) if "stepSizeDown" in c else up
    total = up + down
    T = mpf(t)
    cycle = floor(1 + T / total)
    x = 1 + T / total - cycle
    ratio = up / total
    s = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    h = (mx - base) * s
    if c["mode"] == "triangular":
        return base + h
    if c["mode"] == "triangular2":
        return base + h / mpf(2) ** (cycle - 1)
    return base + h * mpf(c["gamma"]) ** T


def main():
    out = []
    for c in CASES:
        steps = steps_of(c)
        tv = torch_values(c, steps)
        for s in steps:
            v = exact(c, s)
            out.append({"config": c, "step": s, "torch": tv[s], "exact": exact_text(v)})
    dest = os.path.join(FIXTURES, "oracle", "cyclic-torch.json")
    write_fixture(dest, out, indent=0)
    print(f"wrote {len(out)} values to {dest}")


if __name__ == "__main__":
    main()
