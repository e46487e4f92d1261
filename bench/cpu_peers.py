"""The CPU jobs' Python peers (bench/cpu-jobs.ts runs this when a Python is given).

Keras's formulas for the six Keras kinds, vectorised as anyone would: the rows of one kind
stacked as [rows, 1] parameter columns, broadcast against the [1, n] steps, in numpy float32,
numpy float64 and JAX (jax.jit, float32, on the CPU) when jax is importable. Reads the job spec
(JSON: {"reps": R, "jobs": [{"id", "n", "rows": [{"kind", "config"}]}]}) from argv[1], writes
each output as raw little-endian float32 to argv[2]/<job>-<variant>.f32 (row-major, rows x n),
and prints one JSON object: {"variants": [{"job", "variant", "ms": [..], "file"}], "skipped": [..],
"versions": {..}}. Times are wall clock, each run made to finish (JAX: block_until_ready).
Needs numpy; nothing in the repository's tests runs it.
"""
import json
import os
import sys
import time

import numpy as np

KINDS = ["CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay"]


def num(c, k, d=0.0):
    v = c.get(k)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else d


def columns(kind, rows):
    """The parameter columns of one kind's rows, as float64 numpy arrays of shape [rows, 1]."""
    def col(f):
        return np.array([f(r["config"]) for r in rows], dtype=np.float64).reshape(-1, 1)
    if kind == "CosineDecay":
        has = lambda c: c.get("warmupTarget") is not None
        return dict(lr0=col(lambda c: num(c, "initialLearningRate")), D=col(lambda c: num(c, "decaySteps")), a=col(lambda c: num(c, "alpha")),
                    W=col(lambda c: num(c, "warmupSteps") if has(c) else 0.0), frm=col(lambda c: num(c, "warmupTarget") if has(c) else num(c, "initialLearningRate")))
    if kind == "CosineDecayRestarts":
        return dict(lr0=col(lambda c: num(c, "initialLearningRate")), D=col(lambda c: num(c, "firstDecaySteps")), t=col(lambda c: num(c, "tMul", 2.0)),
                    m=col(lambda c: num(c, "mMul", 1.0)), a=col(lambda c: num(c, "alpha")))
    if kind in ("ExponentialDecay", "InverseTimeDecay"):
        return dict(lr0=col(lambda c: num(c, "initialLearningRate")), D=col(lambda c: num(c, "decaySteps")), r=col(lambda c: num(c, "decayRate")),
                    st=col(lambda c: 1.0 if c.get("staircase") else 0.0))
    if kind == "PiecewiseConstantDecay":
        nb = len(rows[0]["config"]["boundaries"])
        cols = {f"b{j}": col(lambda c, j=j: float(c["boundaries"][j])) for j in range(nb)}
        cols.update({f"v{j}": col(lambda c, j=j: float(c["values"][j])) for j in range(nb + 1)})
        return cols
    if kind == "PolynomialDecay":
        return dict(lr0=col(lambda c: num(c, "initialLearningRate")), D=col(lambda c: num(c, "decaySteps")), end=col(lambda c: num(c, "endLearningRate", 1e-4)),
                    p=col(lambda c: num(c, "power", 1.0)), cyc=col(lambda c: 1.0 if c.get("cycle") else 0.0))
    raise ValueError(f"no formula for {kind}")


def formula(xp, kind, P, s):
    """The Keras formula of `kind` with xp = numpy or jax.numpy; P: parameter columns, s: [1, n] steps."""
    pi = xp.asarray(np.pi, dtype=s.dtype)
    if kind == "CosineDecay":
        g = xp.minimum(xp.maximum(s - P["W"], 0), P["D"])
        dec = P["frm"] * ((1 - P["a"]) * (0.5 * (1 + xp.cos(pi * (g / P["D"])))) + P["a"])
        ramp = (P["frm"] - P["lr0"]) * (s / xp.maximum(P["W"], 1)) + P["lr0"]
        return xp.where(s < P["W"], ramp, dec)
    if kind == "CosineDecayRestarts":
        f = s / P["D"]
        one = P["t"] == 1
        ts = xp.where(one, 2, P["t"])
        k = xp.where(one, xp.floor(f), xp.floor(xp.log(1 - f * (1 - ts)) / xp.log(ts)))
        tk = ts ** k
        frac = xp.where(one, f - k, (f - (1 - tk) / (1 - ts)) / tk)
        return P["lr0"] * ((1 - P["a"]) * (0.5 * P["m"] ** k * (1 + xp.cos(pi * frac))) + P["a"])
    if kind == "ExponentialDecay":
        p = s / P["D"]
        return P["lr0"] * P["r"] ** xp.where(P["st"] == 1, xp.floor(p), p)
    if kind == "InverseTimeDecay":
        p = s / P["D"]
        return P["lr0"] / (1 + P["r"] * xp.where(P["st"] == 1, xp.floor(p), p))
    if kind == "PiecewiseConstantDecay":
        nb = sum(1 for k in P if k.startswith("b"))
        v = P[f"v{nb}"] * xp.ones_like(s)
        for j in range(nb - 1, -1, -1):
            v = xp.where(s <= P[f"b{j}"], P[f"v{j}"] * xp.ones_like(s), v)
        return v
    if kind == "PolynomialDecay":
        cyc = P["cyc"] == 1
        mult = xp.where(s == 0, 1, xp.ceil(s / P["D"]))
        d = xp.where(cyc, P["D"] * mult, P["D"] * xp.ones_like(s))
        x = xp.where(cyc, s * xp.ones_like(P["D"]), xp.minimum(s, P["D"]))
        return (P["lr0"] - P["end"]) * (1 - x / d) ** P["p"] + P["end"]
    raise ValueError(kind)


def groups(job):
    """(kind, row indices, rows) for each kind present in the job."""
    out = []
    for kind in KINDS:
        idx = [i for i, r in enumerate(job["rows"]) if r["kind"] == kind]
        if idx:
            out.append((kind, np.array(idx), [job["rows"][i] for i in idx]))
    return out


def run_numpy(job, dtype):
    n = job["n"]
    s = np.arange(n, dtype=dtype).reshape(1, n)
    prepared = [(kind, idx, {k: v.astype(dtype) for k, v in columns(kind, rows).items()}) for kind, idx, rows in groups(job)]
    out = np.empty((len(job["rows"]), n), dtype=np.float32)

    def once():
        with np.errstate(all="ignore"):
            for kind, idx, P in prepared:
                out[idx] = formula(np, kind, P, s)
    return once, out


def run_jax(job):
    import jax
    import jax.numpy as jnp
    n = job["n"]
    s = jnp.arange(n, dtype=jnp.float32).reshape(1, n)
    prepared = []
    for kind, idx, rows in groups(job):
        P = {k: jnp.asarray(v, dtype=jnp.float32) for k, v in columns(kind, rows).items()}
        fn = jax.jit(lambda P, s, kind=kind: formula(jnp, kind, P, s))
        prepared.append((idx, fn, P))
    out = np.empty((len(job["rows"]), n), dtype=np.float32)
    results = []

    def once():
        results.clear()
        for idx, fn, P in prepared:
            results.append((idx, fn(P, s)))
        for _, r in results:
            r.block_until_ready()

    def collect():
        for idx, r in results:
            out[idx] = np.asarray(r)
    return once, out, collect


def timed(once, reps):
    once()  # warm-up (JAX: compilation)
    ms = []
    for _ in range(reps):
        t = time.perf_counter()
        once()
        ms.append((time.perf_counter() - t) * 1000)
    return ms


def main():
    spec = json.load(open(sys.argv[1]))
    outdir = sys.argv[2]
    reps = int(spec.get("reps", 5))
    result = {"variants": [], "skipped": [], "versions": {"python": sys.version.split()[0], "numpy": np.__version__}}
    try:
        import jax
        jax.config.update("jax_platforms", "cpu")
        result["versions"]["jax"] = jax.__version__
        have_jax = True
    except Exception as e:  # noqa: BLE001 (any import failure means: no JAX row)
        result["skipped"].append(f"JAX jit: jax not importable ({type(e).__name__}: {e})")
        have_jax = False
    for job in spec["jobs"]:
        for variant, dtype in (("numpy f32", np.float32), ("numpy f64", np.float64)):
            once, out = run_numpy(job, dtype)
            ms = timed(once, reps)
            f = os.path.join(outdir, f"{job['id']}-{variant.replace(' ', '-')}.f32")
            out.astype("<f4").tofile(f)
            result["variants"].append({"job": job["id"], "variant": variant, "ms": ms, "file": f})
        if have_jax:
            once, out, collect = run_jax(job)
            ms = timed(once, reps)
            collect()
            f = os.path.join(outdir, f"{job['id']}-jax-jit-f32.f32")
            out.astype("<f4").tofile(f)
            result["variants"].append({"job": job["id"], "variant": "JAX jit f32", "ms": ms, "file": f})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
