"""Writes test/fixtures/keras/*.json from real Keras 3 (the tests need no Python).

    python3 -m venv .venv-keras && .venv-keras/bin/pip install keras jax jaxlib
    KERAS_BACKEND=jax .venv-keras/bin/python scripts/keras-fixtures/generate.py

Optionally also `pip install tensorflow-cpu` in a second venv and run it with
KERAS_BACKEND=tensorflow and `--values-only`: that adds the TensorFlow backend's
values to schedules.json (the texts do not depend on the backend).

Files (all JSON; see test/keras-json-text.test.ts for how each is used):
- schedules.json: for each schedule config (all six kinds), in the Keras 3 form
  (`json.dumps(keras.optimizers.schedules.serialize(s))`) and in the legacy
  `{class_name, config}` form (Keras 3's legacy serializer), the text, the Python type
  of every field (path -> int/float/bool/str/null), and the values Keras computes at
  some steps (float32, written as doubles; per backend), with the values Keras computes
  when the whole-number floats of the same text are read as ints (what a text written
  by JSON.stringify made Keras do). Also json.dumps(indent=2) and (indent=0) texts.
- optimizers.json: `json.dumps(keras.optimizers.serialize(opt))` for every Keras 3
  optimizer class that takes a learning rate, with defaults and with every key changed,
  with its field types; `classes` lists each class's default get_config() keys and types.
- floats.json: doubles (as IEEE bits in hex) and `json.dumps(x)` of each.
- through-keras.json: our own texts (toKerasJson of random valid configs, made by
  scripts/keras-fixtures/our-texts.ts), each loaded by Keras
  (`deserialize(json.loads(text))`) and written again by Keras: the test checks that our
  text for the same config is Keras's text, byte for byte.
"""

import json
import math
import os
import random
import struct
import subprocess
import sys

import keras
from keras.src.legacy.saving import serialization as legacy_serialization

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "keras")
S = keras.optimizers.schedules
BACKEND = keras.backend.backend()

STEPS = [0, 1, 2, 5, 10, 50, 100, 1000, 10000, 100000, 1000000, 2**31 - 1]

NAMES = ["my_sched", "ünïcødé ✓ 学习率", 'lr "cos"\\ \n\t', "<img src=x>", "", "\ud800 lone", "emoji \U0001f600"]

SCHEDULES = [
    # (id, class, kwargs) with the Python types a Keras user writes: floats for rates,
    # ints for whole step counts (in int32), floats for fractional or huge ones.
    ("exp-whole-lr", "ExponentialDecay", dict(initial_learning_rate=1.0, decay_steps=10, decay_rate=0.5)),
    ("exp-staircase", "ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=100000, decay_rate=0.96, staircase=True)),
    ("exp-tiny-lr", "ExponentialDecay", dict(initial_learning_rate=1e-05, decay_steps=1, decay_rate=0.5)),
    ("exp-huge-lr", "ExponentialDecay", dict(initial_learning_rate=1e20, decay_steps=1000, decay_rate=0.9)),
    ("exp-fractional-steps", "ExponentialDecay", dict(initial_learning_rate=0.001, decay_steps=33.5, decay_rate=1.5, name="my_ed")),
    ("exp-int32-max-steps", "ExponentialDecay", dict(initial_learning_rate=2.0, decay_steps=2**31 - 1, decay_rate=0.5)),
    ("exp-beyond-int32-steps", "ExponentialDecay", dict(initial_learning_rate=2.0, decay_steps=2147483648.0, decay_rate=0.5)),
    ("exp-1e16-steps", "ExponentialDecay", dict(initial_learning_rate=3.0, decay_steps=1e16, decay_rate=100.0)),
    ("exp-subnormal-lr", "ExponentialDecay", dict(initial_learning_rate=5e-324, decay_steps=1, decay_rate=2.0)),
    ("exp-max-lr", "ExponentialDecay", dict(initial_learning_rate=1.7976931348623157e308, decay_steps=7, decay_rate=0.25)),
    ("exp-name-null", "ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, name=None)),
    ("pcd-keras-doc", "PiecewiseConstantDecay", dict(boundaries=[100000, 110000], values=[1.0, 0.5, 0.1])),
    ("pcd-whole-values", "PiecewiseConstantDecay", dict(boundaries=[10], values=[2.0, 1.0])),
    ("pcd-float-boundaries", "PiecewiseConstantDecay", dict(boundaries=[1.5, 2.5], values=[1.0, 0.5, 0.25])),
    ("pcd-mixed-boundaries", "PiecewiseConstantDecay", dict(boundaries=[10, 20.5, 1000000], values=[1e-05, 1e16, 0.0001, 123456789.0])),
    ("pcd-negative-zero", "PiecewiseConstantDecay", dict(boundaries=[0, 100], values=[0.5, -0.0, -0.25])),
    ("pcd-one-value", "PiecewiseConstantDecay", dict(boundaries=[], values=[0.3])),
    ("pcd-named", "PiecewiseConstantDecay", dict(boundaries=[100, 200, 300], values=[0.1, 0.01, 0.001, 0.0001], name="my_pcd")),
    ("poly-keras-doc", "PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=10000, end_learning_rate=0.01, power=0.5)),
    ("poly-defaults", "PolynomialDecay", dict(initial_learning_rate=1.0, decay_steps=100)),
    ("poly-cycle", "PolynomialDecay", dict(initial_learning_rate=1.0, decay_steps=100, end_learning_rate=0.0, power=2.0, cycle=True)),
    ("poly-fractional", "PolynomialDecay", dict(initial_learning_rate=0.5, decay_steps=0.001, end_learning_rate=1e-07, power=3.0, name="my_ld")),
    ("poly-negative", "PolynomialDecay", dict(initial_learning_rate=-0.1, decay_steps=10000, end_learning_rate=0.0, power=3.0)),
    ("itd-keras-doc", "InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=1, decay_rate=0.5)),
    ("itd-staircase-zero-rate", "InverseTimeDecay", dict(initial_learning_rate=1.0, decay_steps=10, decay_rate=0.0, staircase=True)),
    ("itd-fractional", "InverseTimeDecay", dict(initial_learning_rate=100.0, decay_steps=7.25, decay_rate=3.0, name="my_itd")),
    ("cos-plain", "CosineDecay", dict(initial_learning_rate=0.1, decay_steps=1000)),
    ("cos-alpha", "CosineDecay", dict(initial_learning_rate=0.1, decay_steps=1000, alpha=0.01)),
    ("cos-warmup-doc", "CosineDecay", dict(initial_learning_rate=0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=1000)),
    ("cos-warmup-steps-no-target", "CosineDecay", dict(initial_learning_rate=0.1, decay_steps=1000, warmup_steps=50)),
    ("cos-warmup-fractional", "CosineDecay", dict(initial_learning_rate=1.0, decay_steps=10, warmup_target=2.0, warmup_steps=5.5, name="my_cd")),
    ("cos-warmup-whole-target", "CosineDecay", dict(initial_learning_rate=1.0, decay_steps=100, alpha=1.0, warmup_target=5.0, warmup_steps=100)),
    ("cos-long", "CosineDecay", dict(initial_learning_rate=1e-05, decay_steps=2**31 - 1)),
    ("cdr-defaults", "CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=1000)),
    ("cdr-keras-test", "CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=33.5, t_mul=1.5, m_mul=0.9, alpha=0.1, name="my_cdr")),
    ("cdr-t-mul-one", "CosineDecayRestarts", dict(initial_learning_rate=1.0, first_decay_steps=10, t_mul=1.0, m_mul=0.5)),
    ("cdr-whole", "CosineDecayRestarts", dict(initial_learning_rate=2.0, first_decay_steps=100, t_mul=3.0, m_mul=1.0, alpha=0.0)),
]
# every kind once more with each special name
for i, name in enumerate(NAMES):
    SCHEDULES.append((f"name-{i}", ["ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay", "CosineDecay", "CosineDecayRestarts"][i % 6],
                      [dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
                       dict(boundaries=[10], values=[1.0, 0.5]),
                       dict(initial_learning_rate=0.1, decay_steps=10),
                       dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
                       dict(initial_learning_rate=0.1, decay_steps=10, warmup_target=1.0, warmup_steps=3),
                       dict(initial_learning_rate=0.1, first_decay_steps=10)][i % 6] | dict(name=name)))


def pytype(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    raise TypeError(type(v))


def field_types(obj, path=""):
    """path -> Python type of every leaf, and path -> key order of every dict."""
    types, orders = {}, {}

    def walk(v, p):
        if isinstance(v, dict):
            orders[p] = list(v.keys())
            for k, x in v.items():
                walk(x, f"{p}.{k}" if p else k)
        elif isinstance(v, (list, tuple)):
            types[p] = "list"
            for i, x in enumerate(v):
                walk(x, f"{p}[{i}]")
        else:
            types[p] = pytype(v)

    walk(obj, path)
    return types, orders


def legacy(s):
    """The {class_name, config} form: Keras 3's legacy serializer, with a CosineDecay
    without warmup written with the 4 keys tf.keras <= 2.12 knows (Keras 3 loads both)."""
    ser = legacy_serialization.serialize_keras_object(s)
    cfg = ser["config"]
    if ser["class_name"] == "CosineDecay" and cfg.get("warmup_target") is None and cfg.get("warmup_steps") == 0:
        del cfg["warmup_target"], cfg["warmup_steps"]
    return ser


def values_of(sched):
    out = []
    for step in STEPS:
        try:
            out.append(float(sched(step)))
        except Exception as e:  # noqa: BLE001 - recorded, e.g. a null name
            return {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"}
    return [None if math.isnan(x) else x if math.isfinite(x) else ("Infinity" if x > 0 else "-Infinity") for x in out]


def schedule_cases():
    cases = []
    for cid, cls, kwargs in SCHEDULES:
        s = getattr(S, cls)(**kwargs)
        k3 = S.serialize(s)
        legacy_ser = legacy(s)
        # both forms load back in Keras 3 to the same config
        assert S.deserialize(json.loads(json.dumps(k3))).get_config() == s.get_config(), cid
        assert S.deserialize(json.loads(json.dumps(legacy_ser))).get_config() == s.get_config(), cid
        vals = values_of(s)
        # what the old JSON.stringify text made Keras compute: whole floats read back as ints
        as_ints = json.loads(json.dumps(k3), parse_float=lambda t: int(float(t)) if float(t).is_integer() and abs(float(t)) < 2**31 else float(t))
        ints_vals = values_of(S.deserialize(as_ints))
        for form, ser in (("keras3", k3), ("legacy", legacy_ser)):
            text = json.dumps(ser)
            types, orders = field_types(json.loads(text))
            cases.append({"id": f"{cid}/{form}", "form": form, "class_name": cls, "text": text, "text_indent2": json.dumps(ser, indent=2),
                          "text_indent0": json.dumps(ser, indent=0), "types": types, "orders": orders,
                          "values_by_backend": {BACKEND: vals},
                          "values_if_whole_floats_were_ints": {BACKEND: ints_vals}})
    return cases


OPT_SCHEDULE = S.ExponentialDecay(1.0, 10, 0.5)


def optimizer_classes():
    out = []
    for n in sorted(dir(keras.optimizers)):
        c = getattr(keras.optimizers, n)
        if not (isinstance(c, type) and issubclass(c, keras.optimizers.Optimizer)) or c is keras.optimizers.Optimizer:
            continue
        try:
            c(learning_rate=0.5)
        except TypeError:
            continue  # wrappers (LossScaleOptimizer, MultiOptimizer): no learning_rate of their own
        out.append(n)
    return out


def changed(key, default):
    """A valid non-default value of the same Python type, for every key."""
    special = {
        "name": "my_opt", "clipnorm": 1.0, "global_clipnorm": None, "clipvalue": None, "weight_decay": 0.01,
        "ema_overwrite_frequency": 100, "loss_scale_factor": 128.0, "gradient_accumulation_steps": 4,
        "learning_rate_power": -1.0, "exclude_layers": ["dense", "embedding"], "ns_steps": 6, "adam_lr_ratio": 0.5,
        "warmup_steps": 100, "ema_momentum": 0.9, "beta_2_decay": -0.5, "epsilon_1": 1e-20, "clip_threshold": 2.0,
    }
    if key in special:
        return special[key]
    if isinstance(default, bool):
        return not default
    if isinstance(default, float):
        return 0.5 if default != 0.5 else 0.25
    raise KeyError(key)


NOT_IN_OPTIMIZERS_DESERIALIZE = set()


def load_optimizer(config):
    """keras.optimizers.deserialize; Keras 3.15's returns the class name as a string for
    classes missing from its table (Lamb, ...), where keras.saving.deserialize_keras_object
    (which uses the module) loads them."""
    opt = keras.optimizers.deserialize(config)
    if isinstance(opt, str):
        NOT_IN_OPTIMIZERS_DESERIALIZE.add(config["class_name"])
        opt = keras.saving.deserialize_keras_object(config)
    assert isinstance(opt, keras.optimizers.Optimizer), config["class_name"]
    return opt


def optimizer_cases():
    classes, cases = {}, []
    for n in optimizer_classes():
        c = getattr(keras.optimizers, n)
        keras.utils.clear_session()  # the default name of a first instance ("adam", not "adam_1")
        base = c(learning_rate=OPT_SCHEDULE).get_config()
        classes[n] = {"keys": list(base.keys()), "types": {k: pytype(v) if not isinstance(v, (dict, list)) else ("list" if isinstance(v, list) else "schedule") for k, v in base.items()},
                      "defaults": {k: v for k, v in base.items() if k != "learning_rate"}}
        overrides = {k: changed(k, v) for k, v in base.items() if k != "learning_rate"}
        variants = [("defaults", {}), ("all-changed", overrides), ("global-clipnorm", {"global_clipnorm": 2.0, "name": "opt_2"}),
                    ("clipvalue", {"clipvalue": 0.5, "use_ema": True})]
        scheds = [OPT_SCHEDULE, S.PiecewiseConstantDecay([10, 20.5], [1.0, 0.5, 1e-05]), S.CosineDecay(0.0, 1000, warmup_target=0.001, warmup_steps=100),
                  S.CosineDecayRestarts(1.0, 10, t_mul=1.0)]
        for i, (vid, kw) in enumerate(variants):
            opt = c(learning_rate=scheds[i], **kw)
            ser = keras.optimizers.serialize(opt)
            text = json.dumps(ser)
            back = load_optimizer(json.loads(text))
            assert json.dumps(keras.optimizers.serialize(back)) == text, (n, vid)
            types, orders = field_types(json.loads(text))
            cases.append({"id": f"{n}/{vid}", "class_name": n, "text": text, "text_indent2": json.dumps(ser, indent=2), "types": types, "orders": orders})
    return classes, cases


def float_cases():
    rng = random.Random(20261201)
    xs = [1.0, 1e-5, 1e-4, 0.0001234, 1e16, 1e15, 9999999999999998.0, 1234567890123456.0, 123456789012345680.0, 5e-324,
          2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 0.2, 0.30000000000000004, 100.0, 1e22, 1e21, 1e23, -0.0, 0.0,
          -1.5, 2.0**53, 2.0**53 + 2, 2.0**63, 2.0**64, 2.0**-1074, 2.0**-1022, 1 / 3, 2 / 3, 1e-7, 9.5e-7, 0.96, 0.999,
          3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, 123.456, 1e300, 1e-300, 4.35, 0.000123, 0.00001]
    for _ in range(3000):  # random bit patterns (finite), and random decimals
        b = rng.getrandbits(64)
        x = struct.unpack(">d", b.to_bytes(8, "big"))[0]
        if math.isfinite(x):
            xs.append(x)
    for _ in range(1000):
        xs.append(float(f"{rng.randint(1, 999999)}e{rng.randint(-30, 30)}"))
    for e in range(-330, 310):
        xs += [x for x in (float(f"1e{e}"), float(f"-7.25e{e}")) if math.isfinite(x)]
    return [{"bits": struct.pack(">d", x).hex(), "text": json.dumps(x)} for x in xs]


def through_keras():
    """Our texts (from the TS side), loaded and written again by Keras."""
    res = subprocess.run(["npx", "tsx", "scripts/keras-fixtures/our-texts.ts"], cwd=ROOT, capture_output=True, text=True, check=True)
    ours = json.loads(res.stdout)
    out = []
    for item in ours:
        v = json.loads(item["text"])
        if item["what"] == "optimizer":
            back = json.dumps(keras.optimizers.serialize(load_optimizer(v)))
        else:
            back = json.dumps(S.serialize(S.deserialize(v)) if item["form"] == "keras3" else legacy(S.deserialize(v)))
        out.append({"what": item["what"], "form": item["form"], "ours": item["text"], "keras": back})
    return out


def write(name, data):
    with open(os.path.join(OUT, name), "w", encoding="ascii") as f:
        json.dump(data, f, indent=1, ensure_ascii=True, allow_nan=False)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"keras_version": keras.__version__, "backend": BACKEND, "python": sys.version.split()[0], "steps": STEPS}
    if "--values-only" in sys.argv:  # add another backend's values to schedules.json
        with open(os.path.join(OUT, "schedules.json"), encoding="ascii") as f:
            data = json.load(f)
        for case in data["cases"]:
            s = S.deserialize(json.loads(case["text"]))
            case.setdefault("values_by_backend", {})[BACKEND] = values_of(s)
            as_ints = json.loads(case["text"], parse_float=lambda t: int(float(t)) if float(t).is_integer() and abs(float(t)) < 2**31 else float(t))
            case.setdefault("values_if_whole_floats_were_ints", {})[BACKEND] = values_of(S.deserialize(as_ints))
        write("schedules.json", data)
        return
    write("schedules.json", {**meta, "cases": schedule_cases()})
    classes, opts = optimizer_cases()
    write("optimizers.json", {**meta, "classes": classes, "cases": opts,
                               "not_loaded_by_keras_optimizers_deserialize": sorted(NOT_IN_OPTIMIZERS_DESERIALIZE)})
    write("floats.json", {**meta, "cases": float_cases()})
    write("through-keras.json", {**meta, "cases": through_keras()})


if __name__ == "__main__":
    main()
