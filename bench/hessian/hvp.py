"""One Hessian-vector product of the digits MLP 64-32-32-10 (f64, one thread): optml vs PyTorch.

PyTorch's product is double backward: g = grad(loss, create_graph=True), then grad(g·v).
"full" includes the forward and first backward pass (optml: building the operator at the
point); "apply" reuses them (PyTorch: retain_graph; optml: the built operator).
Run `./setup.sh` once, then `.venv/bin/python hvp.py [REPEATS]` from this folder.
"""
import os
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "crates", "optml", "tests", "data", "digits-mlp")
SIZES = [64, 32, 32, 10]


def median_ms(repeats, f):
    f()
    t = []
    for _ in range(repeats):
        s = time.perf_counter()
        f()
        t.append((time.perf_counter() - s) * 1e3)
    return float(np.median(t))


def unflatten(theta):
    params, at = [], 0
    for i, o in zip(SIZES[:-1], SIZES[1:]):
        w = theta[at:at + o * i].reshape(o, i)
        at += o * i
        b = theta[at:at + o]
        at += o
        params += [w, b]
    return params


def loss_fn(flat, x, y, act):
    h = x
    params = unflatten(flat)
    for l in range(0, len(params), 2):
        h = h @ params[l].T + params[l + 1]
        if l + 2 < len(params):
            h = act(h)
    return torch.nn.functional.cross_entropy(h, y)


def torch_times(repeats, act, theta_np, x, y, v):
    theta = torch.tensor(theta_np, dtype=torch.float64, requires_grad=True)

    def full():
        loss = loss_fn(theta, x, y, act)
        (g,) = torch.autograd.grad(loss, theta, create_graph=True)
        (hv,) = torch.autograd.grad(g @ v, theta)
        return hv

    loss = loss_fn(theta, x, y, act)
    (g,) = torch.autograd.grad(loss, theta, create_graph=True)

    def apply():
        (hv,) = torch.autograd.grad(g @ v, theta, retain_graph=True)
        return hv

    return median_ms(repeats, full), median_ms(repeats, apply)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    torch.set_num_threads(1)
    x = torch.tensor(np.load(os.path.join(DATA, "digits_X.npy")), dtype=torch.float64)
    y = torch.tensor(np.load(os.path.join(DATA, "digits_y.npy")), dtype=torch.long)
    dim = sum((i + 1) * o for i, o in zip(SIZES[:-1], SIZES[1:]))
    v = torch.tensor([((i * 37) % 101) / 50.0 - 1.0 for i in range(dim)], dtype=torch.float64)
    rust = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "optml", "--example", "hvp_timing", "--",
         str(repeats), "1"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    ours = {line.split()[0]: [float(t) for t in line.split()[1:]] for line in rust.splitlines()}
    print(f"torch {torch.__version__}, f64, 1 thread, median of {repeats}, 1797 samples, {dim} parameters")
    print(f"{'act':5} {'optml full':>11} {'torch full':>11} {'ratio':>6} {'optml apply':>12} "
          f"{'torch apply':>12} {'ratio':>6}")
    for name, act, file in [("tanh", torch.tanh, "mlp_tanh_trained.npy"),
                            ("relu", torch.relu, "mlp_relu_init.npy")]:
        theta = np.load(os.path.join(DATA, file))
        t_full, t_apply = torch_times(repeats, act, theta, x, y, v)
        o_full, o_apply, _ = ours[name]
        print(f"{name:5} {o_full:9.2f}ms {t_full:9.2f}ms {o_full / t_full:6.2f} "
              f"{o_apply:10.2f}ms {t_apply:10.2f}ms {o_apply / t_apply:6.2f}")


if __name__ == "__main__":
    main()
