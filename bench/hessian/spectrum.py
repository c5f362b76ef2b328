"""Hessian spectrum: PyHessian (power iteration, Hutchinson, SLQ) against `optml hessian`.

On each workload the exact Hessian is formed with torch autograd (float64) and diagonalized
with numpy's eigvalsh; both tools are then scored by Hessian-vector products (HVPs), wall time
and relative error against it. Everything runs in float64 on one thread.

    bash bench/hessian/setup.sh
    bench/hessian/.venv/bin/python bench/hessian/spectrum.py [--seeds 5] [--out results.json]

Workloads live in WORKLOADS: digits softmax regression, and the MLP 64-32-32-10 (tanh trained,
ReLU at initialization; parameters per layer W then b), for which torch's loss must equal the
`value` optml reports to 1e-12 relative before anything is compared.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

# PyHessian 0.1 calls torch.eig, removed from torch; the same on torch.linalg.eig:
torch.eig = lambda A, eigenvectors=False: (lambda w, V: (torch.stack([w.real, w.imag], 1), V.real))(*torch.linalg.eig(A))  # noqa: E501

import importlib  # noqa: E402

# The module (the package re-exports its class under the same name).
ph = importlib.import_module("pyhessian.hessian")

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = ROOT / "crates/optml/tests/data/digits-mlp"
OPTML = ROOT / "target/release/optml"


def softmax_model(params):
    model = torch.nn.Linear(64, 10)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(params[:640].reshape(10, 64)))
        model.bias.copy_(torch.from_numpy(params[640:]))
    return model


def softmax_optml_args(params_path, tmp):
    """A GLM model file for the softmax workload; the Hessian is taken at `params_path`."""
    model = {
        "format_version": 2,
        "loss": "softmax",
        "ridge": {"c": 1.0},
        "penalty": None,
        "intercept": True,
        "n_features": 64,
        "classes": [float(c) for c in range(10)],
        "weights": np.load(params_path).tolist(),
    }
    path = Path(tmp) / "softmax.json"
    path.write_text(json.dumps(model))
    return ["--model", str(path), "--params", str(params_path), "--mean", "--no-penalty"]


def mlp_model(act):
    """The digits MLP 64-32-32-10 with the given hidden activation; parameters per layer W
    (out × in, row-major) then b, which is torch's own order."""
    def build(params):
        layers = [torch.nn.Linear(64, 32), act(), torch.nn.Linear(32, 32), act(),
                  torch.nn.Linear(32, 10)]
        model = torch.nn.Sequential(*layers)
        theta = torch.from_numpy(params)
        with torch.no_grad():
            i = 0
            for p in model.parameters():
                p.copy_(theta[i:i + p.numel()].reshape(p.shape))
                i += p.numel()
        assert i == len(params)
        return model
    return build


def mlp_optml_args(act):
    def args(params_path, tmp):
        return ["--arch", "64-32-32-10", "--act", act, "--params", str(params_path)]
    return args


WORKLOADS = [
    {
        "name": "digits softmax regression (650 parameters)",
        "params": DATA / "softmax_trained.npy",
        "model": softmax_model,
        "optml_args": softmax_optml_args,
    },
    {
        "name": "digits MLP 64-32-32-10 tanh, trained (3466 parameters)",
        "params": DATA / "mlp_tanh_trained.npy",
        "model": mlp_model(torch.nn.Tanh),
        "optml_args": mlp_optml_args("tanh"),
    },
    {
        "name": "digits MLP 64-32-32-10 ReLU, at initialization (3466 parameters)",
        "params": DATA / "mlp_relu_init.npy",
        "model": mlp_model(torch.nn.ReLU),
        "optml_args": mlp_optml_args("relu"),
    },
]


def flat_loss(model, X, y):
    """The mean cross-entropy as a function of the flat parameter vector."""
    shapes = [p.shape for p in model.parameters()]
    names = [n for n, _ in model.named_parameters()]

    def f(theta):
        out, i = {}, 0
        for n, s in zip(names, shapes):
            k = int(np.prod(s))
            out[n] = theta[i:i + k].reshape(s)
            i += k
        z = torch.func.functional_call(model, out, (X,))
        return torch.nn.functional.cross_entropy(z, y)

    theta = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    return f, theta


def count_hvps():
    """Wraps PyHessian's HVP so every product is counted."""
    inner = ph.hessian_vector_product
    counter = {"n": 0}

    def counted(*a, **k):
        counter["n"] += 1
        return inner(*a, **k)

    ph.hessian_vector_product = counted
    return counter


def rel(a, b):
    return abs(a - b) / abs(b)


def run_pyhessian(model, X, y, exact, seed, counter):
    torch.manual_seed(seed)
    t = time.perf_counter()
    h = ph.hessian(model, torch.nn.CrossEntropyLoss(), data=(X, y), cuda=False)
    setup = time.perf_counter() - t
    top = exact[::-1]
    trace, n = exact.sum(), len(exact)
    out = {"setup_s": setup}
    for k in (1, 5):
        counter["n"] = 0
        t = time.perf_counter()
        vals, _ = h.eigenvalues(top_n=k)
        out[f"top{k}"] = {
            "hvps": counter["n"],
            "seconds": time.perf_counter() - t,
            "max_rel_error": max(rel(v, e) for v, e in zip(vals, top)),
        }
    counter["n"] = 0
    t = time.perf_counter()
    samples = h.trace()
    out["trace"] = {
        "hvps": counter["n"],
        "seconds": time.perf_counter() - t,
        "rel_error": rel(float(np.mean(samples)), trace),
    }
    counter["n"] = 0
    t = time.perf_counter()
    nodes, weights = h.density(iter=100, n_v=1)
    mean = float(np.sum(np.array(nodes[0]) * np.array(weights[0])))
    out["density"] = {
        "hvps": counter["n"],
        "seconds": time.perf_counter() - t,
        "mean_rel_error": rel(mean, trace / n),
        "top_node_rel_error": rel(max(nodes[0]), top[0]),
    }
    return out


def run_optml(args, exact, seed, tmp):
    top = exact[::-1]
    trace, n = exact.sum(), len(exact)
    common = [str(OPTML), "hessian", *args, str(DATA / "digits_X.npy"), "--labels",
              str(DATA / "digits_y.npy"), "--threads", "1", "--seed", str(seed), "--quiet"]
    out = {}

    def call(extra):
        path = Path(tmp) / "h.json"
        subprocess.run(common + extra + ["--json", str(path)], check=True)
        return json.loads(path.read_text())

    for k in (1, 5):
        # Asked for the accuracy the target names: eigenvalues to 1e-6 relative.
        r = call(["--top-k", str(k), "--trace-probes", "0", "--value-tol", "1e-6"])
        out["loss"] = r.get("value")
        r = r["eigen"]
        out[f"top{k}"] = {
            "hvps": r["products"],
            "seconds": r["seconds"],
            "max_rel_error": max(rel(v, e) for v, e in zip(r["values"], top)),
        }
    for method, key in [("hutchpp", "trace_hutchpp"), ("krylov", "trace")]:
        r = call(["--top-k", "0", "--trace-probes", "99", "--trace-method", method])["trace"]
        out[key] = {"hvps": r["products"], "seconds": r["seconds"],
                    "rel_error": rel(r["estimate"], trace),
                    "std_error_rel": r["std_error"] / trace}
    r = call(["--top-k", "0", "--trace-probes", "0", "--density-probes", "1",
              "--density-steps", "100"])["density"]
    mean = float(np.dot(r["nodes"][0], r["weights"][0]))
    out["density"] = {"hvps": r["products"], "seconds": r["seconds"],
                      "mean_rel_error": rel(mean, trace / n),
                      "top_node_rel_error": rel(max(r["nodes"][0]), top[0])}
    return out


def summarize(runs):
    """Mean HVPs and errors, median seconds, over seeds."""
    out = {}
    for task in runs[0]:
        if not isinstance(runs[0][task], dict):
            out[task] = statistics.median(r[task] for r in runs)
            continue
        out[task] = {}
        for key in runs[0][task]:
            vals = [r[task][key] for r in runs]
            out[task][key] = statistics.median(vals) if key == "seconds" else (
                max(vals) if "error" in key else statistics.mean(vals))
            if "error" in key:
                out[task]["rms_" + key] = float(np.sqrt(np.mean(np.square(vals))))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "spectrum_results.json")
    a = ap.parse_args()
    if not OPTML.exists():
        sys.exit(f"{OPTML} missing: run bench/hessian/setup.sh")
    X = torch.from_numpy(np.load(DATA / "digits_X.npy"))
    y = torch.from_numpy(np.load(DATA / "digits_y.npy")).long()
    counter = count_hvps()
    results = []
    for w in WORKLOADS:
        params = np.load(w["params"])
        model = w["model"](params)
        f, theta = flat_loss(model, X, y)
        t = time.perf_counter()
        H = torch.autograd.functional.hessian(f, theta).numpy()
        exact = np.linalg.eigvalsh(0.5 * (H + H.T))
        exact_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as tmp:
            args = w["optml_args"](w["params"], tmp)
            py = [run_pyhessian(model, X, y, exact, s, counter) for s in range(a.seeds)]
            om = [run_optml(args, exact, s, tmp) for s in range(a.seeds)]
        loss = float(f(theta))
        for r in om:
            if r["loss"] is not None and abs(r["loss"] - loss) > 1e-12 * abs(loss):
                sys.exit(f"{w['name']}: optml's loss {r['loss']!r} != torch's {loss!r}")
            r.pop("loss")
        results.append({
            "workload": w["name"],
            "n_params": int(len(exact)),
            "exact": {"top5": exact[::-1][:5].tolist(), "trace": float(exact.sum()),
                      "seconds": exact_s},
            "pyhessian": summarize(py),
            "optml": summarize(om),
            "seeds": a.seeds,
            "loss": loss,
        })
    a.out.write_text(json.dumps(results, indent=2) + "\n")
    for r in results:
        print(f"\n{r['workload']}: exact top-5 {np.round(r['exact']['top5'], 6).tolist()}, "
              f"trace {r['exact']['trace']:.6f}  (worst and rms error / mean HVPs / median s "
              f"over {r['seeds']} seeds)")
        print(f"{'task':<15}{'tool':<11}{'HVPs':>7}{'seconds':>10}{'worst error':>12}"
              f"{'rms error':>12}")
        for task, key in [("top1", "max_rel_error"), ("top5", "max_rel_error"),
                          ("trace", "rel_error"), ("trace_hutchpp", "rel_error"),
                          ("density", "mean_rel_error")]:
            for tool in ("pyhessian", "optml"):
                if task not in r[tool]:
                    continue
                s = r[tool][task]
                print(f"{task:<15}{tool:<11}{s['hvps']:>7.1f}{s['seconds']:>10.4f}"
                      f"{s[key]:>12.2e}{s['rms_' + key]:>12.2e}")
    print("trace: PyHessian Hutchinson (stops on a 1e-3 relative change) against optml's Krylov "
          "estimator (default) and Hutch++, 99 HVPs each; density: error of the SLQ mean "
          "eigenvalue tr(H)/n from one probe of 100 steps")
    print(f"\nwritten {a.out}")


if __name__ == "__main__":
    main()
