"""Coefficients of the exp polynomials of the wasm kernels (assembly/exp32.ts, assembly/exp64.ts).

exp(r) ~ 1 + r + r^2 * Q(r) on |r| <= A (A = ln2/2 plus room for the rounding of n), with Q chosen by
a Remez exchange on the relative error (mpmath, 60 digits), then rounded to the kernel's precision.
Prints the coefficients and the measured maximum relative error of the rounded polynomial in ulps.
Run: python3 scripts/exp-coefficients.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 60
A = mp.mpf("0.34675")


def remez(degree_q, iterations=30):
    # unknowns: q_0..q_{d}, E ; rel error e(r) = (1 + r + r^2 Q(r) - exp(r)) / exp(r)
    m = degree_q + 1
    nodes = [A * mp.cos(mp.pi * (m + 1 - i) / (m + 1)) for i in range(m + 2)]
    for _ in range(iterations):
        rows, rhs = [], []
        for i, r in enumerate(nodes):
            rows.append([r ** (2 + k) / mp.exp(r) for k in range(m)] + [(-1) ** i])
            rhs.append((mp.exp(r) - 1 - r) / mp.exp(r))
        sol = mp.lu_solve(mp.matrix(rows), mp.matrix(rhs))
        q = [sol[k] for k in range(m)]
        err = lambda r: (1 + r + r * r * mp.polyval(q[::-1], r) - mp.exp(r)) / mp.exp(r)
        # new extrema: sample densely, pick sign-alternating maxima
        xs = [A * (2 * mp.mpf(j) / 4000 - 1) for j in range(4001)]
        es = [err(x) for x in xs]
        ext = []
        j = 0
        while j < len(xs):
            s = mp.sign(es[j])
            best = j
            while j < len(xs) and mp.sign(es[j]) == s:
                if abs(es[j]) > abs(es[best]):
                    best = j
                j += 1
            ext.append(best)
        if len(ext) >= m + 2:
            # keep the m+2 largest alternating set (trim the smaller ends)
            while len(ext) > m + 2:
                if abs(es[ext[0]]) < abs(es[ext[-1]]):
                    ext.pop(0)
                else:
                    ext.pop()
            nodes = [xs[k] for k in ext]
    return q, max(abs(e) for e in es)


def check32(q):
    qf = [np.float32(float(c)) for c in q]
    rs = np.linspace(-float(A), float(A), 200001).astype(np.float32)
    r2 = rs * rs
    acc = np.full_like(rs, qf[-1])
    for c in reversed(qf[:-1]):
        acc = acc * rs + c
    p = np.float32(1) + (rs + r2 * acc)
    exact = np.array([mp.exp(mp.mpf(float(r))) for r in rs[::50]])
    ulp = [abs(mp.mpf(float(v)) - e) / mp.mpf(float(np.spacing(np.float32(float(e))))) for v, e in zip(p[::50], exact)]
    return float(max(ulp))


for name, dq, dtype in (("float32", 4, np.float32), ("float64", 10, np.float64)):
    q, e = remez(dq)
    print(f"{name}: degree {dq + 2}, max relative error {mp.nstr(e, 5)} (2^{mp.nstr(mp.log(e, 2), 4)})")
    for k, c in enumerate(q):
        print(f"  c{k + 2} = {repr(dtype(float(c)).item()) if dtype is np.float64 else float(np.float32(float(c)))!r}")
    if dtype is np.float32:
        print(f"  float32 Horner evaluation: max {check32(q):.3f} ulp over |r| <= A")
