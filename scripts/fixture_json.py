"""What the fixture generators under scripts/ share: writing a fixture file, and the
exact decimal text of an mpmath value. A generator in a subfolder imports it after
putting scripts/ on sys.path (see scripts/oracle/five_kinds.py)."""
import json
import os

from mpmath import nstr

# test/fixtures/ of this repository, where every generator writes
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "test", "fixtures")


def write_fixture(path, doc, *, indent, allow_nan=True):
    """Writes `doc` to `path` as JSON with `indent` and a final newline, creating the folder."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=indent, allow_nan=allow_nan)
        f.write("\n")


def exact_text(v, digits=60):
    """`v` as a decimal string of `digits` significant digits, never in exponent form ("0" for zero)."""
    return "0" if v == 0 else nstr(v, digits, min_fixed=1, max_fixed=0)
