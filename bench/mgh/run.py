#!/usr/bin/env python3
"""optml's solvers against scipy.optimize on the Moré–Garbow–Hillstrom set.

Both sides minimize the same 35 problems from the same starting points (the standard x0, and
10·x0 and 100·x0 as Moré, Garbow & Hillstrom also prescribe): optml through
`optml bench mgh`, scipy through `optml bench mgh-serve`, which evaluates f, ∇f and ∇²f·v for
it, so the functions are defined once. Both stop at ‖∇f‖ ≤ TOL (scipy's BFGS and CG measure
the max-norm, which only lets them stop earlier) or after 10000 iterations. A run solves a
problem when its final f is within 1e-8 relative (1e-12 absolute near 0) of the published
minimum or of another listed minimum. The cost of a run is the number of points where f and ∇f
were evaluated plus Hessian-vector products: both sides compute f and ∇f together and remember
the last point (scipy through its MemoizeJac, optml through the same rule in `optml bench mgh`),
so asking for ∇f where f was just evaluated is free on either side.

Usage: bash bench/mgh/setup.sh && bench/mgh/.venv/bin/python bench/mgh/run.py [--tol 1e-10] [--scales 1,10,100]
Writes bench/mgh/results.md and results.json.
"""

import argparse
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import scipy
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OPTML = os.path.join(ROOT, "target", "release", "optml")

# optml solver -> its scipy counterpart.
PAIRS = [
    ("lbfgs", "L-BFGS-B"),
    ("bfgs", "BFGS"),
    ("ncg", "CG"),
    ("newton-cg", "Newton-CG"),
    ("trust-region", "trust-ncg"),
    ("arc", "trust-krylov"),
]
SCIPY_METHODS = ["BFGS", "L-BFGS-B", "CG", "Newton-CG", "trust-ncg", "trust-krylov"]
MAX_ITER = 10000


class Server:
    """Evaluates the MGH problems through `optml bench mgh-serve`."""

    def __init__(self):
        self.proc = subprocess.Popen([OPTML, "bench", "mgh-serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        reply = json.loads(self.proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def solved(entry, f):
    targets = ([entry["f_star"]] if entry["f_star"] is not None else []) + entry["other_minima"]
    return any(abs(f - v) <= max(1e-8 * abs(v), 1e-12) for v in targets)


def run_scipy(server, k, entry, method, tol, scale=1.0, start=None):
    """scipy's `method` on problem k from `start` (default scale·x0)."""
    counts = {"fg": 0, "hv": 0}

    def fg(x):
        counts["fg"] += 1
        r = server.ask({"op": "fg", "problem": k, "x": list(map(float, x))})
        f = r["f"] if r["f"] is not None else np.inf
        return f, np.array([np.nan if g is None else g for g in r["g"]])

    def hessp(x, v):
        counts["hv"] += 1
        r = server.ask({"op": "hv", "problem": k, "x": list(map(float, x)), "v": list(map(float, v))})
        return np.array(r["hv"])

    options = {"maxiter": MAX_ITER}
    kwargs = {}
    if method in ("BFGS", "CG", "trust-ncg", "trust-krylov"):
        options["gtol"] = tol
    if method == "L-BFGS-B":
        # ftol = 0: no stop on a small decrease of f, so that, like every other run here, it
        # answers to the gradient test (L-BFGS-B measures the max-norm of the projected gradient).
        options.update(gtol=tol, ftol=0.0, maxfun=50 * MAX_ITER)
    if method == "Newton-CG":
        # Newton-CG has no gradient test; xtol is its only stop (relative step length).
        options["xtol"] = 1e-12
    if method in ("Newton-CG", "trust-ncg", "trust-krylov"):
        kwargs["hessp"] = hessp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            x0 = np.array(start) if start is not None else scale * np.array(entry["x0"])
            res = minimize(fg, x0, jac=True, method=method, options=options, **kwargs)
            f, status = float(res.fun), res.message
        except Exception as e:  # a peer's failure is a result, not a crash of the benchmark
            f, status = float("inf"), f"raised {type(e).__name__}: {e}"
    return {"problem": k, "solver": method, "f": f, "solved": bool(np.isfinite(f) and solved(entry, f)),
            "evaluations": counts["fg"] + counts["hv"], "status": str(status)}


def summarize(names, by_ours, by_theirs):
    """Per method pair: problems both solve, where optml used fewer evaluations, failures."""
    summary = []
    for mine, peer in PAIRS:
        if not any(key[1] == mine for key in by_ours):
            continue
        both = fewer = lost = won = 0
        ratios = []
        for name in names:
            a, b = by_ours[(name, mine)], by_theirs[(name, peer)]
            if a["solved"] and b["solved"]:
                both += 1
                fewer += a["evaluations"] < b["evaluations"]
                ratios.append(a["evaluations"] / max(b["evaluations"], 1))
            lost += b["solved"] and not a["solved"]
            won += a["solved"] and not b["solved"]
        median = float(np.median(ratios)) if ratios else float("nan")
        geomean = float(np.exp(np.mean(np.log(ratios)))) if ratios else float("nan")
        summary.append({"optml": mine, "scipy": peer, "both": both, "fewer": fewer, "lost": lost, "won": won,
                        "median_ratio": median, "geomean_ratio": geomean})
    return summary


def summary_table(summary, total):
    lines = [
        "| optml | scipy | both solve | optml fewer evaluations | optml fails where scipy solves | "
        "scipy fails where optml solves | cost ratio optml ÷ scipy, median | geometric mean |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in summary:
        lines.append(f"| {r['optml']} | {r['scipy']} | {r['both']}/{total} | {r['fewer']}/{r['both']} "
                     f"({100 * r['fewer'] / max(r['both'], 1):.0f} %) | {r['lost']} | {r['won']} | {r['median_ratio']:.2f} | "
                     f"{r['geomean_ratio']:.3f} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tol", type=float, default=1e-10, help="gradient-norm tolerance (default 1e-10)")
    ap.add_argument("--scales", default="1,10,100",
                    help="comma-separated start scales s: every problem also runs from s·x0 (default 1,10,100, "
                         "the three starts of Moré, Garbow & Hillstrom 1981)")
    args = ap.parse_args()
    scales = [float(v) for v in args.scales.split(",")]
    if not os.path.exists(OPTML):
        sys.exit(f"{OPTML} is missing: run bench/mgh/setup.sh")

    server = Server()
    catalogue = server.ask({"op": "list"})
    names = [f"{e['name']} (n = {e['n']}, m = {e['m']})" for e in catalogue]
    ours_all, theirs_all, pooled_ours, pooled_theirs, per_scale = [], [], {}, {}, []
    for scale in scales:
        ours_path = os.path.join(HERE, "optml_runs.json")
        cmd = [OPTML, "bench", "mgh", "--tol", str(args.tol), "--start-scale", str(scale), "--json", ours_path]
        if scale == scales[0]:
            cmd += ["--plot", os.path.join(HERE, "profile.svg")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(ours_path) as fh:
            ours = json.load(fh)
        os.remove(ours_path)
        theirs = []
        for k, entry in enumerate(catalogue):
            for method in SCIPY_METHODS:
                theirs.append(run_scipy(server, k, entry, method, args.tol, scale))
            print(f"{entry['name']:>28} from {scale:g}·x0: scipy done", file=sys.stderr)
        for r in ours:
            r["scale"] = scale
        for r in theirs:
            r["scale"] = scale
        by_ours = {(r["problem"], r["solver"]): r for r in ours}
        by_theirs = {(names[r["problem"]], r["solver"]): r for r in theirs}
        per_scale.append((scale, by_ours, by_theirs))
        for (name, solver), r in by_ours.items():
            pooled_ours[(f"{name} @ {scale:g}", solver)] = r
        for (name, solver), r in by_theirs.items():
            pooled_theirs[(f"{name} @ {scale:g}", solver)] = r
        ours_all += ours
        theirs_all += theirs
    server.close()

    lines = [
        "# Moré–Garbow–Hillstrom set: optml vs scipy.optimize", "",
        f"scipy {scipy.__version__}; gradient tolerance {args.tol:g}; cost = points where f/∇f were evaluated + "
        "Hessian-vector products (a dense Hessian counts as n). `bench/mgh/run.py` reproduces this.", "",
    ]
    summaries = {}
    for scale, by_ours, by_theirs in per_scale:
        summaries[f"{scale:g}"] = summarize(names, by_ours, by_theirs)
        lines += [f"## From {scale:g}·x0", ""] + summary_table(summaries[f"{scale:g}"], len(names)) + [""]
    if len(scales) > 1:
        pooled_names = [f"{n} @ {s:g}" for s in scales for n in names]
        summaries["pooled"] = summarize(pooled_names, pooled_ours, pooled_theirs)
        lines += [f"## All {len(pooled_names)} runs ({', '.join(f'{s:g}' for s in scales)}·x0)", ""]
        lines += summary_table(summaries["pooled"], len(pooled_names)) + [""]
    lines += ["Runs where scipy reaches a listed minimum and optml does not (status, final f):", ""]
    for scale, by_ours, by_theirs in per_scale:
        for mine, peer in PAIRS:
            for name in names:
                a, b = by_ours.get((name, mine)), by_theirs.get((name, peer))
                if a and b and b["solved"] and not a["solved"]:
                    lines.append(f"- {mine} on {name} from {scale:g}·x0: {a['report']['status']}, "
                                 f"f = {a['report']['f']:.6g} ({peer}: f = {b['f']:.3g})")
    lines.append("")
    scale, by_ours, by_theirs = per_scale[0]
    lines += [f"Per problem from {scale:g}·x0 (evaluations; * = did not reach a listed minimum):", ""]
    ours_solvers = [m for m, _ in PAIRS if any(key[1] == m for key in by_ours)]
    cols = [(m, "optml") for m in ours_solvers] + [(m, "scipy") for m in SCIPY_METHODS]
    lines.append("| problem | " + " | ".join(f"{m}" for m, _ in cols) + " |")
    lines.append("|---|" + "---|" * len(cols))
    for name in names:
        cells = []
        for m, side in cols:
            r = by_ours[(name, m)] if side == "optml" else by_theirs[(name, m)]
            cells.append(f"{r['evaluations']}{'' if r['solved'] else '*'}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(HERE, "results.md"), "w") as fh:
        fh.write(text)
    with open(os.path.join(HERE, "results.json"), "w") as fh:
        json.dump({"tol": args.tol, "scales": scales, "summary": summaries, "optml": ours_all, "scipy": theirs_all},
                  fh, indent=1)


if __name__ == "__main__":
    main()
