"""GLM benchmark: optml against LIBLINEAR and scikit-learn on the same objective.

Every method minimizes, from w = 0 and with no intercept,

    f(w) = Σᵢ loss(yᵢ, xᵢ·w) + ‖w‖² / (2C),   C = 1,

with the logistic loss on the binary sets and the multinomial (softmax) loss on the multiclass
set (W is K × d and ‖W‖ the Frobenius norm). Each peer's returned w is evaluated here, in numpy,
on that f; optml's f is read from its own trace (and checked against numpy on its final model).

Timing:
  * optml: the `seconds` column of its trace (solver time, data loading excluded); time to a
    relative suboptimality ε is the first trace row with (f − f*)/f* ≤ ε.
  * peers: wall time around the fit call only (data already in memory, converted to the peer's
    own format beforehand). A peer reports one point per run, so each is run over a ladder of
    tolerances; its time to ε is that of the fastest run whose final f reaches ε.
  * a run taking < REPEAT_BELOW seconds is repeated (3 in all) and the median time kept.
  * f* = the smallest f any run found on that data set.

    bench/glm/.venv/bin/python bench/glm/run.py [--quick] [--only rcv1like,...] [--threads 1,2]

Writes bench/glm/results.md, bench/glm/results.json and bench/glm/suboptimality.{png,svg}.
"""

import os

# OpenBLAS kernel choice: the machine environment may pin OPENBLAS_CORETYPE (and
# OPENBLAS_L2_SIZE) for old OpenBLAS builds, which slows the current one shipped with numpy.
# They must go before numpy loads OpenBLAS; only this process (and its children) is affected.
for _v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_v, None)

import argparse
import json
import math
import multiprocessing as mp
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPTML = os.path.join(ROOT, "target", "release", "optml")
sys.path.insert(0, HERE)
import gen_data  # noqa: E402

C = 1.0
EPSILONS = (1e-6, 1e-10)
REPEAT_BELOW = 10.0  # seconds: runs shorter than this are repeated 3 times (median)
REPS = 3


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The objective, evaluated independently of every solver
# ---------------------------------------------------------------------------------------------

def objective(x, y, w, k=None):
    """f(w) = Σ loss + ‖w‖²/(2C); binary y ∈ {±1}, or multiclass y ∈ {0..K-1} with w of K·d."""
    if k is None:
        z = x @ w
        loss = np.logaddexp(0.0, -y * z).sum()
    else:
        wk = w.reshape(k, -1)
        z = np.asarray(x @ wk.T)
        zmax = z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z - zmax).sum(axis=1)) + zmax[:, 0]
        loss = (lse - z[np.arange(len(y)), y.astype(np.int64)]).sum()
    return float(loss + 0.5 * np.dot(w, w) / C)


# ---------------------------------------------------------------------------------------------
# Peers: each fit runs in a forked child (data shared copy-on-write), with its own thread
# limit and a hard time limit; the child sends back (fit seconds, w).
# ---------------------------------------------------------------------------------------------

def _child(conn, fit, threads):
    try:
        from threadpoolctl import threadpool_limits

        warnings.simplefilter("ignore")
        with threadpool_limits(limits=threads):
            t0 = time.perf_counter()
            w = fit()
            t = time.perf_counter() - t0
        conn.send((t, np.asarray(w, dtype=np.float64).ravel()))
    except BaseException as e:  # report, never hang the parent
        conn.send(("error", repr(e)))
    finally:
        conn.close()


def run_forked(fit, threads, limit):
    """(seconds, w) of fit() in a child with `threads` BLAS/OpenMP threads, or None past limit."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(child, fit, threads))
    p.start()
    child.close()
    if not parent.poll(limit + 5.0):
        p.kill()
        p.join()
        return None
    msg = parent.recv()
    p.join()
    if msg[0] == "error":
        raise RuntimeError(msg[1])
    if msg[0] > limit:
        return None
    return msg


def liblinear_fit(prob, solver, eps):
    """LIBLINEAR -s solver -e eps, no bias; returns w for the +1 class."""
    from liblinear.liblinearutil import parameter, train

    def fit():
        m = train(prob, parameter(f"-s {solver} -e {eps:g} -B -1 -q"))
        w, _ = m.get_decfun()
        w = np.asarray(w)
        # LIBLINEAR's first label is the positive side of its decision function.
        return w if m.get_labels()[0] == 1 else -w

    return fit


def sklearn_fit(x, y, solver, tol, max_iter, dual=False):
    from sklearn.linear_model import LogisticRegression

    def fit():
        kw = dict(C=C, fit_intercept=False, solver=solver, tol=tol, max_iter=max_iter)
        if dual:
            kw["dual"] = True
        m = LogisticRegression(**kw)
        m.fit(x, y)
        # Binary: coef_ (1, d) scores classes_[1] = +1. Multiclass: (K, d) in class order.
        return m.coef_

    return fit


def peer_methods(name, x, y, k, quick):
    """The peer configurations for a data set: (label, factory(tol) -> fit, tolerances,
    single_threaded)."""
    dense = isinstance(x, np.ndarray)
    ladder10 = [10.0 ** -e for e in range(1, 11)]
    out = []
    if k is None:
        from liblinear.liblinear import problem

        t = time.perf_counter()
        prob = problem(y, x)  # conversion to LIBLINEAR's sparse nodes: not timed
        log(f"    LIBLINEAR problem built in {time.perf_counter() - t:.1f} s (not timed)")
        out.append(("liblinear -s 0", lambda e: liblinear_fit(prob, 0, e), ladder10[:8], True))
        out.append(("liblinear -s 7", lambda e: liblinear_fit(prob, 7, e), ladder10[:8], True))
    yl = y if k is None else y.astype(np.int64)
    out.append(("sklearn lbfgs", lambda t: sklearn_fit(x, yl, "lbfgs", t, 100_000), ladder10, False))
    out.append(("sklearn newton-cg", lambda t: sklearn_fit(x, yl, "newton-cg", t, 10_000), ladder10, False))
    if dense:
        out.append(("sklearn newton-cholesky",
                    lambda t: sklearn_fit(x, yl, "newton-cholesky", t, 1_000), ladder10, False))
    if k is None:
        out.append(("sklearn liblinear", lambda t: sklearn_fit(x, yl, "liblinear", t, 100_000),
                    ladder10[:8], True))
    out.append(("sklearn saga", lambda t: sklearn_fit(x, yl, "saga", t, 100_000), ladder10[1:8], False))
    return out


def run_peer(label, factory, tols, threads, x, y, k, limit):
    """Runs one peer over its tolerance ladder (loose to tight) and returns its points.

    The ladder stops early when a run hits the time limit (a tighter one would too) or when two
    consecutive runs end on the same f to 1e-15 (tighter tolerances only cost time)."""
    points = []
    prev_f = None
    for tol in tols:
        times, f = [], None
        r = run_forked(factory(tol), threads, limit)
        if r is None:
            points.append({"tol": tol, "seconds": None, "f": None, "timeout": limit})
            log(f"    {label:26s} t={threads} tol={tol:.0e}: > {limit:.0f} s (stopped)")
            break
        times.append(r[0])
        f = objective(x, y, r[1], k)
        if r[0] < REPEAT_BELOW:
            for _ in range(REPS - 1):
                rr = run_forked(factory(tol), threads, limit)
                if rr is not None:
                    times.append(rr[0])
        t = statistics.median(times)
        points.append({"tol": tol, "seconds": t, "f": f, "times": times})
        log(f"    {label:26s} t={threads} tol={tol:.0e}: {t:8.3f} s  f = {f:.15e}")
        if prev_f is not None and abs(f - prev_f) <= 1e-15 * abs(f):
            break
        prev_f = f
    return points


# ---------------------------------------------------------------------------------------------
# optml
# ---------------------------------------------------------------------------------------------

def optml_solvers(name):
    s = ["auto", "newton-cg", "trust-region", "newton", "lbfgs", "newton-path"]
    if name == "rcv1like":
        s.remove("newton")  # d = 50000: a dense Hessian has 2.5e9 entries
    return s


def run_optml(ds, solver, threads, limit, workdir):
    """One `optml train` run; returns its trace, load time, peak RSS and final model f."""
    trace = os.path.join(workdir, "trace.csv")
    model = os.path.join(workdir, "model.json")
    cmd = ["/usr/bin/time", "-v", OPTML, "train", ds["x"]]
    if ds["y"]:
        cmd += ["--labels", ds["y"]]
    cmd += ["--loss", "softmax" if ds.get("k") else "logistic", "-C", str(C),
            "--solver", solver, "--tol", "1e-12", "--max-iter", "100000",
            "--max-seconds", str(limit), "--threads", str(threads),
            "--trace", trace, "--model", model]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + 120)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"optml failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    err, out = p.stderr, p.stdout
    load = re.search(r"stored values \(\w+\) in ([0-9.]+) s", err)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    status = re.search(r"^status\s+(.*)$", out, re.M)
    rows = np.genfromtxt(trace, delimiter=",", names=True)
    rows = np.atleast_1d(rows)
    with open(model) as fh:
        weights = np.asarray(json.load(fh)["weights"], dtype=np.float64)
    return {
        "seconds": rows["seconds"].tolist(),
        "passes": rows["passes"].tolist(),
        "f": rows["f"].tolist(),
        "grad_norm": rows["grad_norm"].tolist(),
        "load_s": float(load.group(1)) if load else None,
        "rss_kb": int(rss.group(1)) if rss else None,
        "status": status.group(1).strip() if status else "?",
        "wall": wall,
        "weights": weights,
    }


# ---------------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------------

def rel(f, fstar):
    return (f - fstar) / abs(fstar)


def optml_time_to(run, fstar, eps):
    """(seconds, passes) at the first trace row within eps of f*, or None."""
    for t, p, f in zip(run["seconds"], run["passes"], run["f"]):
        if rel(f, fstar) <= eps:
            return t, p
    return None


def peer_time_to(points, fstar, eps):
    """Fastest ladder run whose final f is within eps of f*; or ('>', limit) when a run was
    stopped by the limit before one did; or None."""
    best = None
    for pt in points:
        if pt["seconds"] is not None and rel(pt["f"], fstar) <= eps:
            best = pt["seconds"] if best is None else min(best, pt["seconds"])
    if best is not None:
        return best
    for pt in points:
        if pt["seconds"] is None:
            return (">", pt["timeout"])
    return None


def fmt_time(v):
    if v is None:
        return "not reached"
    if isinstance(v, tuple):
        return f"> {v[1]:.0f} s"
    if v < 0.1:
        return f"{v * 1000:.0f} ms"
    return f"{v:.2f} s"


# ---------------------------------------------------------------------------------------------

def load_dataset(name, ds):
    """The data in memory for the peers (and the numpy objective); times the LIBSVM load."""
    info = {}
    if ds["x"].endswith(".svm"):
        from sklearn.datasets import load_svmlight_file

        times = []
        for r in range(REPS):
            t0 = time.perf_counter()
            x, y = load_svmlight_file(ds["x"], n_features=ds["d"])
            times.append(time.perf_counter() - t0)
            if times[-1] > REPEAT_BELOW:
                break
        info["sklearn_load_s"] = statistics.median(times)
        info["sklearn_load_times"] = times
        info["nnz"] = int(x.nnz)
        info["csr_bytes"] = 12 * x.nnz + 8 * x.shape[0]
        info["file_bytes"] = os.path.getsize(ds["x"])
        log(f"  sklearn load_svmlight_file: {info['sklearn_load_s']:.2f} s ({x.shape}, nnz {x.nnz})")
    else:
        x = np.load(ds["x"])
        y = np.load(ds["y"])
    return x, y, info


def bench_dataset(name, ds, threads_list, limit, skip_peers, workdir):
    log(f"\n== {name}")
    k = ds.get("k")
    x, y, info = load_dataset(name, ds)
    res = {"name": name, "n": int(x.shape[0]), "d": int(x.shape[1]), "k": k, "info": info,
           "limit": limit, "optml": {}, "peers": {}}

    # optml -------------------------------------------------------------------------------
    best_w, best_f = None, math.inf
    for threads in threads_list:
        for solver in optml_solvers(name):
            runs = []
            for rep in range(REPS):
                r = run_optml(ds, solver, threads, limit, workdir)
                w = r.pop("weights")
                r["f_numpy"] = objective(x, y, w, k)
                if r["f_numpy"] < best_f:
                    best_w, best_f = w, r["f_numpy"]
                runs.append(r)
                log(f"    optml {solver:13s} t={threads} rep {rep}: {r['seconds'][-1]:8.3f} s, "
                    f"{r['passes'][-1]:5.0f} passes, {len(r['f']) - 1:5d} it, f = {r['f'][-1]:.15e} "
                    f"(numpy {r['f_numpy']:.15e}), {r['status']}, load {r['load_s']} s, "
                    f"RSS {r['rss_kb'] / 1024:.0f} MB")
                if r["seconds"][-1] > REPEAT_BELOW:
                    break
            res["optml"][f"{solver}|{threads}"] = runs

    # peers -------------------------------------------------------------------------------
    if not skip_peers:
        methods = peer_methods(name, x, y, k, quick=False)
        for threads in threads_list:
            for label, factory, tols, single in methods:
                if single and threads != threads_list[0]:
                    # LIBLINEAR is single-threaded: reuse its 1-thread ladder.
                    res["peers"][f"{label}|{threads}"] = res["peers"][f"{label}|{threads_list[0]}"]
                    continue
                res["peers"][f"{label}|{threads}"] = run_peer(
                    label, factory, tols, threads, x, y, k, limit)

    # f*: the best f any run found (optml trace values and numpy values of final models,
    # peers' numpy values).
    cands = []
    for runs in res["optml"].values():
        for r in runs:
            cands += r["f"] + [r["f_numpy"]]
    for pts in res["peers"].values():
        cands += [p["f"] for p in pts if p["f"] is not None]
    res["fstar"] = min(cands)

    # Conditioning of the dense binary problem at the solution: cond(XᵀX) and
    # cond(∇²f(w*)) = cond(XᵀDX + I/C), D = σ(1−σ) (d = 500: cheap).
    if best_w is not None and isinstance(x, np.ndarray) and k is None:
        z = x @ best_w
        s = 1.0 / (1.0 + np.exp(-z))
        ev_h = np.linalg.eigvalsh((x.T * (s * (1 - s))) @ x + np.eye(x.shape[1]) / C)
        ev_x = np.linalg.eigvalsh(x.T @ x)
        res["cond"] = {"XtX": float(ev_x[-1] / ev_x[0]), "hessian": float(ev_h[-1] / ev_h[0])}
    return res


def summarize(results, threads_list, quick):
    """Markdown tables: time to ε per method, passes for optml, best-optml ÷ best-peer."""
    L = []
    L.append("# GLM benchmark: optml vs LIBLINEAR and scikit-learn\n")
    L.append("Objective (every method, evaluated on the returned w): "
             "f(w) = Σᵢ loss(yᵢ, xᵢ·w) + ‖w‖²/(2C), C = 1, no intercept; logistic loss on the "
             "binary sets, multinomial on the multiclass set. Times are solver times (data in "
             "memory); optml's from its trace, peers' around the fit call, best over a ladder of "
             "tolerances; median of 3 for runs under 10 s. ε is the relative suboptimality "
             "(f − f*)/f*, f* the best f any run found. " +
             ("**Quick mode: n/10 data — a smoke test, not a measurement.**" if quick else "") + "\n")
    L.append(env_line() + "\n")
    for res in results:
        fstar = res["fstar"]
        L.append(f"## {res['name']}: n = {res['n']}, d = {res['d']}"
                 + (f", K = {res['k']}" if res["k"] else "") + f"; f* = {fstar:.12e}\n")
        if "cond" in res:
            L.append(f"cond(XᵀX) = {res['cond']['XtX']:.1e}; cond(∇²f(w*)) = "
                     f"{res['cond']['hessian']:.1e} (the ridge term I/C caps it).\n")
        hdr = "| method | threads | " + " | ".join(f"time to ε={e:g}" for e in EPSILONS) + \
              " | passes to ε=" + " / ".join(f"{e:g}" for e in EPSILONS) + " | final (f−f*)/f* | status |"
        L.append(hdr)
        L.append("|" + "---|" * (hdr.count("|") - 1))
        best = {}  # (threads, eps, kind) -> (time, label)
        for threads in threads_list:
            for key, runs in res["optml"].items():
                solver, t = key.split("|")
                if int(t) != threads:
                    continue
                cells, passes = [], []
                for e in EPSILONS:
                    hits = [optml_time_to(r, fstar, e) for r in runs]
                    if all(h is not None for h in hits):
                        tm = statistics.median(h[0] for h in hits)
                        ps = statistics.median(h[1] for h in hits)
                        cells.append(fmt_time(tm))
                        passes.append(f"{ps:.0f}")
                        b = best.get((threads, e, "optml"))
                        if b is None or tm < b[0]:
                            best[(threads, e, "optml")] = (tm, f"optml {solver}")
                    else:
                        last = runs[0]["seconds"][-1]
                        cells.append(f"not reached ({last:.1f} s)")
                        passes.append("–")
                fin = statistics.median(rel(r["f"][-1], fstar) for r in runs)
                L.append(f"| optml {solver} | {threads} | " + " | ".join(cells) + " | " +
                         " / ".join(passes) + f" | {fin:.1e} | {runs[0]['status']} |")
            for key, pts in res["peers"].items():
                label, t = key.split("|")
                if int(t) != threads:
                    continue
                cells = []
                for e in EPSILONS:
                    v = peer_time_to(pts, fstar, e)
                    cells.append(fmt_time(v))
                    if isinstance(v, float):
                        b = best.get((threads, e, "peer"))
                        if b is None or v < b[0]:
                            best[(threads, e, "peer")] = (v, label)
                done = [p for p in pts if p["f"] is not None]
                fin = min(rel(p["f"], fstar) for p in done) if done else float("nan")
                last_tol = pts[-1]["tol"]
                note = f"ladder to tol {last_tol:g}" + (" (time limit)" if pts[-1]["seconds"] is None else "")
                L.append(f"| {label} | {threads}{' (1-threaded)' if 'liblinear' in label else ''} | "
                         + " | ".join(cells) + f" | – | {fin:.1e} | {note} |")
        if res["name"] == "multiclass":
            L.append("| LIBLINEAR | – | n/a | n/a | – | – | no multinomial (softmax) solver |")
        L.append("")
        # Ratios.
        L.append("| threads | ε | best optml | best peer | optml ÷ peer |")
        L.append("|---|---|---|---|---|")
        for threads in threads_list:
            for e in EPSILONS:
                o = best.get((threads, e, "optml"))
                p = best.get((threads, e, "peer"))
                ratio = f"{o[0] / p[0]:.2f}" if o and p else "–"
                L.append(f"| {threads} | {e:g} | " + (f"{o[1]}: {fmt_time(o[0])}" if o else "–") +
                         " | " + (f"{p[1]}: {fmt_time(p[0])}" if p else "–") + f" | {ratio} |")
        L.append("")
        # Consistency of optml's own f with numpy's on its final model.
        diffs = [abs(r["f"][-1] - r["f_numpy"]) / abs(r["f_numpy"])
                 for runs in res["optml"].values() for r in runs]
        L.append(f"optml's reported f vs numpy's f of its saved model: max relative difference "
                 f"{max(diffs):.1e}.\n")
        if res["info"].get("sklearn_load_s") is not None:
            L.append(load_section(res))
    return "\n".join(L) + "\n"


def load_section(res):
    info = res["info"]
    loads = {}
    rss = []
    for key, runs in res["optml"].items():
        t = int(key.split("|")[1])
        loads.setdefault(t, []).extend(r["load_s"] for r in runs if r["load_s"] is not None)
        rss.extend(r["rss_kb"] for r in runs if r["rss_kb"])
    L = ["### Loading the LIBSVM file and memory\n",
         f"File {info['file_bytes'] / 1e6:.0f} MB, {info['nnz']} stored values.\n",
         "| loader | time |", "|---|---|"]
    for t, v in sorted(loads.items()):
        L.append(f"| optml (`train`, --threads {t}; median of {len(v)} runs) | {statistics.median(v):.2f} s |")
    L.append(f"| scikit-learn `load_svmlight_file` (median of {len(info['sklearn_load_times'])}) | "
             f"{info['sklearn_load_s']:.2f} s |")
    L.append("")
    L.append(f"optml peak RSS during `train` (max over all runs, /usr/bin/time -v): "
             f"{max(rss) / 1024:.0f} MB (min {min(rss) / 1024:.0f} MB) vs the CSR size "
             f"12 B/nnz + 8 B/row = {info['csr_bytes'] / 2**20:.0f} MB "
             f"(ratio {max(rss) * 1024 / info['csr_bytes']:.2f}).\n")
    return "\n".join(L)


def env_line():
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})"
                for i in threadpool_info() if i["user_api"] == "blas"]
    except Exception:
        blas = []
    import sklearn
    import scipy

    try:
        from importlib.metadata import version

        ll = version("liblinear-official")
    except Exception:
        ll = "?"
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "crates"],
                           capture_output=True, text=True).stdout.strip()
    return (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
            f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"scikit-learn {sklearn.__version__}, liblinear-official {ll}, BLAS {', '.join(blas)}; "
            f"optml at {git}{' + uncommitted changes' if dirty else ''}. "
            f"Run {time.strftime('%Y-%m-%d %H:%M')}.")


def plot(results, threads_list, path_base):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nrow, ncol = len(threads_list), len(results)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 4.2 * nrow), squeeze=False)
    floor = 1e-16
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    markers = "os^vD<>ph*"
    for j, res in enumerate(results):
        fstar = res["fstar"]
        for i, threads in enumerate(threads_list):
            ax = axes[i][j]
            ci = 0
            for key, runs in res["optml"].items():
                solver, t = key.split("|")
                if int(t) != threads or solver == "auto":
                    continue
                r = runs[0]
                sub = np.maximum([rel(f, fstar) for f in r["f"]], floor)
                ts = np.maximum(r["seconds"], 1e-3)
                ax.plot(ts, sub, "-", color=colors[ci % len(colors)], lw=1.6, label=f"optml {solver}")
                ci += 1
            mi = 0
            for key, pts in res["peers"].items():
                label, t = key.split("|")
                if int(t) != threads:
                    continue
                done = [p for p in pts if p["f"] is not None]
                if not done:
                    continue
                ts = [max(p["seconds"], 1e-3) for p in done]
                sub = [max(rel(p["f"], fstar), floor) for p in done]
                ax.plot(ts, sub, ":", marker=markers[mi % len(markers)], ms=5, lw=0.8,
                        color=colors[(ci + mi) % len(colors)], label=label)
                mi += 1
            for e in EPSILONS:
                ax.axhline(e, color="grey", lw=0.5, ls="--")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_ylim(floor / 2, 2.0)
            ax.set_xlabel("seconds")
            ax.set_ylabel("(f − f*) / f*")
            ax.set_title(f"{res['name']} (n={res['n']}, d={res['d']}), {threads} thread"
                         + ("s" if threads > 1 else ""), fontsize=10)
            ax.grid(True, which="major", lw=0.3)
            ax.legend(fontsize=6.5, loc="lower left")
    fig.tight_layout()
    fig.savefig(path_base + ".png", dpi=110)
    fig.savefig(path_base + ".svg")
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description="optml vs LIBLINEAR and scikit-learn on L2 logistic/softmax")
    ap.add_argument("--quick", action="store_true", help="n/10 data, short time limits (smoke test)")
    ap.add_argument("--only", default="", help="comma-separated data sets (rcv1like,dense_illcond,multiclass)")
    ap.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    ap.add_argument("--limit", type=float, default=None,
                    help="time limit per run in seconds (default 60, quick 10)")
    ap.add_argument("--skip-peers", action="store_true", help="optml only")
    ap.add_argument("--out", default=HERE, help="where results.md/json and the plots go")
    a = ap.parse_args()

    if not os.path.exists(OPTML):
        sys.exit(f"{OPTML} is missing: run bash bench/glm/setup.sh first")
    threads_list = [int(t) for t in a.threads.split(",")]
    limit = a.limit or (10.0 if a.quick else 60.0)
    t_start = time.perf_counter()
    log("generating data (kept if up to date) ...")
    sets = gen_data.generate(quick=a.quick, log=log)
    names = [n for n in sets if not a.only or n in a.only.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as wd:
        for name in names:
            results.append(bench_dataset(name, sets[name], threads_list, limit, a.skip_peers, wd))
    suffix = "_quick" if a.quick else ""
    md = summarize(results, threads_list, a.quick)
    md += f"\nTotal benchmark wall time {time.perf_counter() - t_start:.0f} s.\n"
    with open(os.path.join(a.out, f"results{suffix}.md"), "w") as f:
        f.write(md)
    with open(os.path.join(a.out, f"results{suffix}.json"), "w") as f:
        json.dump(results, f, indent=1, default=float)
    plot(results, threads_list, os.path.join(a.out, f"suboptimality{suffix}"))
    print(md)
    log(f"done in {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
