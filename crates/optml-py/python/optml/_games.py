"""Two-player games: the library's competitive methods (CGD, CMD) and simultaneous baselines
(GDA, extragradient, optimistic GDA, SGA, ConOpt) on games given by arrays."""

from __future__ import annotations

import numpy as np

from . import _core
from ._optimize import _result


def _payoff(A):
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"A must be a 2-D array, got {A.ndim} dimensions")
    if np.iscomplexobj(A):
        raise ValueError("A must be real")
    return np.ascontiguousarray(A, dtype=np.float64)


def _played(out, **extra):
    return _result(
        x=out["x"], y=out["y"], nit=out["n_iter"], status=out["status"], success=out["converged"],
        message=out["status"], residual=out["residual"], grads=out["grads"], mixed=out["mixed"],
        pure=out["pure"], cg_iterations=out["cg_iterations"], **extra,
    )


def matrix_game(A, *, method="cmd", x0=None, y0=None, lr=None, lr_y=None, gamma=None, tol=None, max_iter=None):
    """Solves the zero-sum matrix game min over mixed strategies x of max over y of xᵀAy.

    Both players move on the probability simplex in its entropy geometry: ``method`` ``"cmd"``
    (competitive mirror descent, Schäfer, Anandkumar & Owhadi 2020) or the mirror forms of
    ``"gda"``, ``"extragradient"``, ``"ogda"``, ``"sga"``, ``"conopt"``. ``x0``/``y0``
    default to uniform strategies; ``lr`` (and ``lr_y``, default ``lr``) are the step sizes
    (default 0.2; CMD converges fast with large steps, e.g. 10). Stops when the step residual
    falls to ``tol`` (default 1e-8) or after ``max_iter`` iterations (default 1000).

    Returns ``x``, ``y``, ``value`` (xᵀAy), ``exploitability`` (max(Aᵀx) − min(Ay): 0 exactly
    at an equilibrium), ``nit``, ``status``, ``success``, ``residual`` and evaluation counts.
    """
    A = _payoff(A)
    out = _core.play_matrix_game(
        A, method=method, x0=x0, y0=y0, lr_x=lr, lr_y=lr_y, gamma=gamma, tol=tol, max_iter=max_iter,
    )
    x, y = out["x"], out["y"]
    return _played(out, value=float(x @ A @ y), exploitability=float((A.T @ x).max() - (A @ y).min()))


def bilinear_game(A, b=None, c=None, *, method="cgd", x0=None, y0=None, lr=None, lr_y=None, gamma=None,
                  potential_x="euclidean", potential_y="euclidean", tol=None, max_iter=None):
    """Plays f(x, y) = xᵀAy + bᵀx + cᵀy, x minimizing and y maximizing, toward a Nash
    equilibrium (for square invertible A the unique one solves Ay = −b, Aᵀx = −c).

    ``method``: ``"cgd"`` (competitive gradient descent, Schäfer & Anandkumar 2019, converges
    at every step size), ``"cmd"``, ``"gda"`` (spirals out on this game), ``"extragradient"``,
    ``"ogda"``, ``"sga"``, ``"conopt"``. ``potential_x``/``potential_y``: ``"euclidean"``,
    ``"entropy"`` (positive cone) or ``"simplex"``; ``x0``/``y0`` default to 0 (give points in
    the domain for the others). ``lr``, ``lr_y``, ``tol``, ``max_iter`` as for
    :func:`matrix_game`.

    Returns ``x``, ``y``, ``nit``, ``status``, ``success``, ``residual`` and evaluation counts.
    """
    A = _payoff(A)
    m, n = A.shape
    b = np.zeros(m) if b is None else np.asarray(b, dtype=np.float64).ravel()
    c = np.zeros(n) if c is None else np.asarray(c, dtype=np.float64).ravel()
    out = _core.play_bilinear_game(
        A, b, c, method=method, x0=x0, y0=y0, lr_x=lr, lr_y=lr_y, gamma=gamma,
        potential_x=potential_x, potential_y=potential_y, tol=tol, max_iter=max_iter,
    )
    return _played(out)
