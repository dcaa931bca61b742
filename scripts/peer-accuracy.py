#!/usr/bin/env python3
"""Accuracy of the Python peers on the library's own fixtures (a companion to scripts/accuracy.mjs).

Measures how far SciPy's scipy.special.softmax, log_softmax and logsumexp (and, as a second row each,
the textbook NumPy formulas

    softmax      e = np.exp(x - x.max()); e / e.sum()
    log_softmax  x - x.max() - np.log(np.exp(x - x.max()).sum())
    logsumexp    x.max() + np.log(np.exp(x - x.max()).sum())      weights: max + log(sum(b * exp(x - max))))

are from the correctly rounded mpmath references of test/fixtures/*.json (made by
test/fixtures/generate.py), on exactly the same vectors, in ulps of the output precision:

  - float64 vectors are float64 arrays; float32 vectors are np.float32 arrays, computed in float32 as a
    user would get it, and measured in float32 ulps;
  - temperature: the function of x / T, the division done in the working precision (NumPy's rules:
    a float32 array divided by a Python float stays float32);
  - masks: x with the masked entries set to -inf; only the kept entries are measured (the masked ones
    are counted separately if they are not exactly 0 / -inf);
  - weights: scipy's b= argument, with the stored float64 weights (a float32 x is then promoted to
    float64 by SciPy and NumPy alike, and that result is rounded once to float32 to be measured);
  - long vectors (1000 to 100000 entries) are rebuilt from their mulberry32 recipes, bit for bit as
    test/support/fixtures.ts does (checked against the stored checksums), and measured at the stored
    sampled indices.

The ulp distance is the number of representable numbers between the peer's value and the reference
(on the ordered int64 / int32 bit patterns, -0 and +0 both at 0), and inf when one of them is not
finite and the other differs (NaN counts as inf).

    python3 scripts/peer-accuracy.py                 the markdown table and the worst case of each row
    python3 scripts/peer-accuracy.py --by-category   also the max ulp of each row per fixture category
    python3 scripts/peer-accuracy.py --temperature-1 only the vectors with T = 1 (the peers' own kernels,
                                                     without the caller's rounding of x / T)

Needs python3 with NumPy, SciPy and mpmath (the generator's module is imported for the recipes; no
torch); deterministic (no randomness; NumPy's
sums are the same on a given machine and NumPy build); runs in a few seconds.
"""

import json
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.special as sps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "test", "fixtures")
FILES = ["float64.json", "float32.json", "long.json"]
BOUND = 4
PRECISIONS = ["float64", "float32"]
DTYPES = {"float64": np.float64, "float32": np.float32}
CATEGORIES = [  # the order of test/support/fixtures.ts
    "magnitudes 1e-3 to 1e4", "large shift 1e4", "large shift 1e30", "near-ties", "underflow",
    "temperature", "masked", "log-probabilities", "negative max cancellation", "weighted", "long",
]


# ----------------------------------------------------------------------------------------------
# Rebuilding the long vectors: the generator's own recipe functions (one definition of the rules)
# ----------------------------------------------------------------------------------------------

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"))
from generate import checksum, recipe_mask, recipe_values, recipe_weights  # noqa: E402


def regenerate(recipe, n):
    x = recipe_values(recipe, n)
    mask = np.array(recipe_mask(recipe["mask"], n)) if "mask" in recipe else None
    weights = np.array(recipe_weights(recipe["weights"], n)) if "weights" in recipe else None
    return x, mask, weights


# ----------------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------------

def load():
    cases = []
    for name in FILES:
        with open(os.path.join(FIXTURES, name)) as f:
            data = json.load(f)
        for v in data["vectors"]:
            dtype = DTYPES[v["precision"]]
            if "recipe" in v:
                values, mask, weights = regenerate(v["recipe"], v["n"])
                got = checksum(values)
                bad = [k for k in got if got[k] != v["checksum"][k]]
                if bad:
                    sys.exit(f"{name}: {v['id']} not rebuilt bit for bit ({', '.join(bad)})")
                x = np.array(values, dtype=dtype)
            else:
                x = np.array(v["x"], dtype=np.float64)
                if dtype is np.float32:
                    x32 = x.astype(np.float32)
                    if not np.array_equal(x32.astype(np.float64), x):
                        sys.exit(f"{name}: {v['id']}: an input is not a float32 value")
                    x = x32
                mask = np.array(v["mask"], dtype=bool) if "mask" in v else None
                weights = np.array(v["weights"], dtype=np.float64) if "weights" in v else None
            if x.size != v["n"]:
                sys.exit(f"{name}: {v['id']}: {x.size} inputs, n = {v['n']}")
            cases.append({
                "id": v["id"], "category": v["category"], "precision": v["precision"], "n": v["n"],
                "T": v.get("temperature", 1.0), "x": x, "mask": mask, "weights": weights,
                "indices": np.array(v["indices"]) if "indices" in v else np.arange(v["n"]),
                "softmax": v["softmax"], "logSoftmax": v["logSoftmax"], "logSumExp": v["logSumExp"],
                "weightedLogSumExp": v.get("weightedLogSumExp"), "prng": "recipe" in v,
            })
    return cases


# ----------------------------------------------------------------------------------------------
# The peers
# ----------------------------------------------------------------------------------------------

def user_input(c):
    """x as a user would hand it over: masked entries -inf, divided by T in the working precision."""
    x = c["x"]
    if c["mask"] is not None:
        x = np.where(c["mask"], x, x.dtype.type(-np.inf))
    if c["T"] != 1.0:
        x = x / c["T"]  # float32 / Python float stays float32 (NEP 50)
    return x


def np_softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def np_log_softmax(x):
    return x - x.max() - np.log(np.exp(x - x.max()).sum())


def np_logsumexp(x):
    return x.max() + np.log(np.exp(x - x.max()).sum())


def np_weighted_logsumexp(x, b):
    m = x.max()
    return m + np.log(np.sum(b * np.exp(x - m)))


PEERS = [
    ("scipy", {
        "softmax": ("scipy.special.softmax", lambda x, w: sps.softmax(x)),
        "logSoftmax": ("scipy.special.log_softmax", lambda x, w: sps.log_softmax(x)),
        "logSumExp": ("scipy.special.logsumexp", lambda x, w: sps.logsumexp(x)),
        "weightedLogSumExp": ("scipy.special.logsumexp (b=weights)", lambda x, w: sps.logsumexp(x, b=w)),
    }),
    ("numpy", {
        "softmax": ("NumPy textbook softmax", lambda x, w: np_softmax(x)),
        "logSoftmax": ("NumPy textbook log_softmax", lambda x, w: np_log_softmax(x)),
        "logSumExp": ("NumPy textbook logsumexp", lambda x, w: np_logsumexp(x)),
        "weightedLogSumExp": ("NumPy textbook logsumexp (weights)", lambda x, w: np_weighted_logsumexp(x, w)),
    }),
]
FUNCTIONS = ["softmax", "logSoftmax", "logSumExp", "weightedLogSumExp"]


# ----------------------------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------------------------

def ordinal(a):
    """Position on the ordered line of the format (float64 or float32 array), as int64."""
    if a.dtype == np.float64:
        bits = a.view(np.int64)
        mag = bits & np.int64(0x7FFFFFFFFFFFFFFF)
    else:
        bits = a.view(np.int32).astype(np.int64)
        mag = bits & np.int64(0x7FFFFFFF)
    return np.where(bits < 0, -mag, mag)


def ulp_distance(got, ref):
    """Elementwise ulps between two arrays of the same float dtype (float64 result, inf for specials)."""
    finite = np.isfinite(got) & np.isfinite(ref)
    a, b = ordinal(np.where(finite, got, 0)), ordinal(np.where(finite, ref, 0))
    # |a - b| without int64 overflow: across zero it is |a| + |b|, which fits in uint64
    d = np.where((a < 0) == (b < 0), np.abs(a - b).astype(np.uint64),
                 np.abs(a).astype(np.uint64) + np.abs(b).astype(np.uint64)).astype(np.float64)
    d[~finite] = np.inf
    d[got == ref] = 0.0                        # equal infinities, +0 / -0
    d[np.isnan(got) & np.isnan(ref)] = 0.0
    return d


def measure(c, fn, f):
    """(ulps of the checked values, indices they belong to, got values, expected values, masked wrong,
    promoted) of one peer function on one case."""
    dtype = DTYPES[c["precision"]]
    x = user_input(c)
    result = f(x, c["weights"])
    out = np.asarray(result)
    promoted = out.dtype != dtype
    out = out.astype(dtype)  # float64 -> float32: one correct rounding
    masked_wrong = 0
    stored = c[fn] if fn in ("softmax", "logSoftmax") else [c[fn]]
    ref64 = np.array([np.nan if r is None else r for r in stored], dtype=np.float64)
    ref = ref64.astype(dtype)
    if not np.array_equal(ref.astype(np.float64), ref64, equal_nan=True):
        raise RuntimeError(f"{c['id']}: a {fn} reference is not a {c['precision']} value")
    if fn in ("softmax", "logSoftmax"):
        if out.shape != (c["n"],):
            raise RuntimeError(f"{c['id']}: {fn} returned shape {out.shape}")
        kept = ~np.isnan(ref64)  # null: a masked entry
        idx = c["indices"]
        got = out[idx]
        masked_value = 0.0 if fn == "softmax" else -np.inf
        masked_wrong = int(np.sum(got[~kept] != masked_value))
        got, ref, idx = got[kept], ref[kept], idx[kept]
    else:
        got = out.reshape(1)
        idx = np.array([-1])
    return ulp_distance(got, ref), idx, got, ref, masked_wrong, promoted


def applies(c, fn):
    return fn != "weightedLogSumExp" or c["weightedLogSumExp"] is not None


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------

def count(k):
    return f"{k:,}"


def percent(k, n):
    return f"{100 * k / n:.{0 if k == n else 2}f}%"


def num(v):
    if np.isinf(v):
        return "inf"
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def describe(c):
    t = f", T = {c['T']:g}" if c["T"] != 1.0 else ""
    extra = ", masked" if c["mask"] is not None and c["category"] != "masked" else ""
    return f"{c['id']} ({c['category']}, n = {count(c['n'])}{t}{extra})"


def main():
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    cases = load()
    if "--temperature-1" in sys.argv:
        # the peers' own kernels only: with T != 1 the caller's rounding of x / T comes first
        cases = [c for c in cases if c["T"] == 1.0]
    rows = []
    for fn in FUNCTIONS:
        for _peer, fns in PEERS:
            label, f = fns[fn]
            for precision in PRECISIONS:
                subject = [c for c in cases if c["precision"] == precision and applies(c, fn)]
                all_ulps, masked, promoted = [], 0, 0
                worst = None
                by_cat = {}
                nonfinite = {}  # category -> [NaN count, inf count]
                for c in subject:
                    ulps, idx, got, ref, mw, pr = measure(c, fn, f)
                    all_ulps.append(ulps)
                    masked += mw
                    promoted += pr
                    if ulps.size:
                        k = int(np.argmax(ulps))
                        if worst is None or ulps[k] > worst[0]:
                            worst = (ulps[k], c, int(idx[k]), got[k], ref[k])
                        by_cat[c["category"]] = max(by_cat.get(c["category"], 0.0), float(ulps[k]))
                        nan, inf = int(np.isnan(got).sum()), int((np.isinf(got) & (got != ref)).sum())
                        if nan or inf:
                            t = nonfinite.setdefault(c["category"], [0, 0])
                            t[0] += nan
                            t[1] += inf
                u = np.sort(np.concatenate(all_ulps))
                n = u.size
                median = u[(n - 1) // 2] if n % 2 else (u[n // 2 - 1] + u[n // 2]) / 2
                rows.append({
                    "label": label, "precision": precision, "vectors": len(subject), "values": n,
                    "max": u[-1], "median": median, "exact": int(np.sum(u == 0)),
                    "within": int(np.sum(u <= BOUND)), "masked": masked, "promoted": promoted,
                    "worst": worst, "by_cat": by_cat, "nonfinite": nonfinite,
                })

    n64 = sum(c["precision"] == "float64" for c in cases)
    n32 = len(cases) - n64
    lengths = [c["n"] for c in cases]
    print(
        f"Peer accuracy against mpmath (256-bit, correctly rounded references): SciPy {scipy.__version__}, "
        f"NumPy {np.__version__}; {count(len(cases))} vectors ({n64} float64, {n32} float32; "
        f"{sum(c['prng'] for c in cases)} long ones rebuilt from their PRNG recipes) of lengths "
        f"{min(lengths)} to {count(max(lengths))}; ulps of the output's precision (float32 ulps for float32 inputs).\n"
    )
    print("| Function | Input | Vectors | Values checked | Max ulp | Median ulp | Correctly rounded | Within 4 ulp |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['label']} | {r['precision']} | {count(r['vectors'])} | {count(r['values'])} | {num(r['max'])} | "
            f"{num(r['median'])} | {percent(r['exact'], r['values'])} | {percent(r['within'], r['values'])} |"
        )

    print("\nWorst case of each row:")
    for r in rows:
        u, c, i, got, ref = r["worst"]
        at = f" at [{i}]" if i >= 0 else ""
        print(f"- {r['label']}, {r['precision']}: {num(u)} ulp on {describe(c)}{at}: "
              f"got {float(got)!r}, expected {float(ref)!r}")

    notes = []
    for r in rows:
        for cat, (nan, inf) in sorted(r["nonfinite"].items(), key=lambda kv: CATEGORIES.index(kv[0])):
            kinds = ", ".join(s for s in (f"{nan} NaN" if nan else "", f"{inf} inf" if inf else "") if s)
            notes.append(f"- {r['label']}, {r['precision']}: {kinds} on {cat} vectors (references finite)")
        if r["masked"]:
            notes.append(f"- {r['label']}, {r['precision']}: {r['masked']} masked entries not exactly 0 / -inf")
        if r["promoted"] and r["precision"] == "float32":
            notes.append(f"- {r['label']}, {r['precision']}: the peer returned float64 on {r['promoted']} of "
                         f"{r['vectors']} vectors (float64 weights promote a float32 x); rounded once to float32")
    if notes:
        print("\nNotes:")
        for line in notes:
            print(line)

    if "--by-category" in sys.argv:
        cats = [k for k in CATEGORIES if any(k in r["by_cat"] for r in rows)]
        print("\nMax ulp per category:\n")
        print("| Function | Input | " + " | ".join(cats) + " |")
        print("| --- | --- | " + " | ".join("---:" for _ in cats) + " |")
        for r in rows:
            cells = [num(r["by_cat"][k]) if k in r["by_cat"] else "" for k in cats]
            print(f"| {r['label']} | {r['precision']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
