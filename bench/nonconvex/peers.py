"""optml against Python peers on the same planted instances.

Matrix completion: 2000 x 2000, rank 10, 5 % of the entries observed (standard normal factors).
Robust PCA: 1000 x 1000, rank 10, 10 % of the entries corrupted by +-[1, 10]*sqrt(r).

optml draws each instance (--synthetic, fixed seed) and writes it with --save-instance; the peers
read those files. Times are the solver's own (instance generation and file reading excluded);
the error is ||X_hat - X*||_F / ||X*||_F against the planted matrix.

    bench/nonconvex/.venv/bin/python bench/nonconvex/peers.py [--repeat 3]
"""

import argparse
import os
import re
import subprocess
import time
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPTML = os.path.join(ROOT, "target", "release", "optml")
DATA = os.path.join(HERE, "data")
SEED = "1"


def optml(args):
    """Runs the CLI; returns (solver seconds, relative error, status line)."""
    out = subprocess.run([OPTML, *args, "-q"], capture_output=True, text=True, check=True).stdout
    summary = next(l for l in out.splitlines() if " after " in l)
    secs = float(re.search(r"([0-9.]+) s$", summary).group(1))
    err = float(re.search(r"_F: ([0-9.eE+-]+)", out).group(1))
    return secs, err, summary.split(":")[1].split(",")[0].strip()


def rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def best(f, repeat):
    """Best wall time of `repeat` calls of f, and its result."""
    times, res = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        res = f()
        times.append(time.perf_counter() - t)
    return min(times), res


def altmin_numpy(rows, cols, vals, shape, r, iters=100, tol=1e-12):
    """Alternating least squares from the spectral start (Jain, Netrapalli & Sanghavi, 2013):
    the numpy reference, with the per-row r x r systems built by reduceat and solved batched."""
    m, n = shape
    p = len(vals) / (m * n)
    a = sp.csr_matrix((vals / p, (rows, cols)), shape=shape)
    u, s, vt = svds(a, k=r)
    u, v = u * np.sqrt(s), vt.T * np.sqrt(s)

    def solve(idx, other, fixed, size):
        order = np.argsort(idx, kind="stable")
        g, o, y = idx[order], other[order], vals[order]
        w = fixed[o]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        gram = np.add.reduceat(w[:, :, None] * w[:, None, :], starts)
        rhs = np.add.reduceat(w * y[:, None], starts)
        out = np.zeros((size, r))
        out[g[starts]] = np.linalg.solve(gram, rhs[:, :, None])[:, :, 0]
        return out

    prev = np.inf
    for _ in range(iters):
        u = solve(rows, cols, v, m)
        v = solve(cols, rows, u, n)
        res = np.linalg.norm(np.einsum("ij,ij->i", u[rows], v[cols]) - vals) / np.linalg.norm(vals)
        if res < tol or abs(prev - res) < tol * 1e-2:
            break
        prev = res
    return u, v


def completion(repeat, rows_out):
    inst = os.path.join(DATA, "completion")
    common = ["complete", "--synthetic", "2000x2000", "--observed", "0.05", "--rank", "10",
              "--seed", SEED]
    optml([*common, "--save-instance", inst])
    for method in ["altmin", "gd"]:
        runs = [optml([*common, "--method", method]) for _ in range(repeat)]
        secs, err, status = min(runs)
        rows_out.append(("completion", f"optml {method}", secs, err, status))
    tri = np.loadtxt(os.path.join(inst, "observed.csv"), delimiter=",", skiprows=1)
    rows, cols, vals = tri[:, 0].astype(np.int64), tri[:, 1].astype(np.int64), tri[:, 2]
    truth = np.load(os.path.join(inst, "truth_u.npy")) @ np.load(os.path.join(inst, "truth_v.npy")).T
    shape = truth.shape

    secs, (u, v) = best(lambda: altmin_numpy(rows, cols, vals, shape, 10), repeat)
    rows_out.append(("completion", "numpy AltMin (reference)", secs, rel(u @ v.T, truth), ""))

    try:
        from fancyimpute import SoftImpute, IterativeSVD
        x = np.full(shape, np.nan)
        x[rows, cols] = vals
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            secs, xh = best(lambda: SoftImpute(max_rank=10, max_iters=100, convergence_threshold=1e-10,
                                               verbose=False).fit_transform(x), 1)
            rows_out.append(("completion", "fancyimpute SoftImpute (rank 10, 100 it)", secs,
                             rel(xh, truth), ""))
            secs, xh = best(lambda: IterativeSVD(rank=10, max_iters=100, convergence_threshold=1e-10,
                                                 verbose=False).fit_transform(x), 1)
            rows_out.append(("completion", "fancyimpute IterativeSVD (rank 10, 100 it)", secs,
                             rel(xh, truth), ""))
    except ImportError as e:
        print("fancyimpute unavailable:", e)


def robust_pca(repeat, rows_out):
    inst = os.path.join(DATA, "rpca")
    common = ["rpca", "--synthetic", "1000x1000", "--corruption", "0.1", "--rank", "10",
              "--seed", SEED]
    optml([*common, "--save-instance", inst])
    for method in ["altproj", "gd", "pcp"]:
        extra = ["--alpha", "0.2"] if method == "gd" else []
        runs = [optml([*common, "--method", method, *extra]) for _ in range(repeat)]
        secs, err, status = min(runs)
        rows_out.append(("robust PCA", f"optml {method}", secs, err, status))
    m = np.load(os.path.join(inst, "m.npy"))
    truth = np.load(os.path.join(inst, "truth_l.npy"))
    try:
        from rpca import RobustPCA

        def acc_alt_proj():
            est = RobustPCA(n_components=10, max_iter=100, tol=1e-10, verbose=False).fit(m)
            return est.low_rank_ + est.mean_

        secs, lh = best(acc_alt_proj, repeat)
        rows_out.append(("robust PCA", "rpca AccAltProj", secs, rel(lh, truth), ""))
    except ImportError as e:
        print("rpca unavailable:", e)
    try:
        from pyrpca import rpca_pcp_ialm
        secs, (lh, _) = best(lambda: rpca_pcp_ialm(m, 1 / np.sqrt(1000), tol=1e-9, verbose=False), 1)
        rows_out.append(("robust PCA", "pyrpca PCP (IALM)", secs, rel(lh, truth), ""))
    except ImportError as e:
        print("pyrpca unavailable:", e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    completion(args.repeat, rows)
    robust_pca(args.repeat, rows)
    print("| problem | method | seconds | relative error | stop |")
    print("|---|---|---:|---:|---|")
    for prob, name, secs, err, status in rows:
        print(f"| {prob} | {name} | {secs:.3f} | {err:.2e} | {status} |")


if __name__ == "__main__":
    main()
