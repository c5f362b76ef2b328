"""Recovery problems solved to the global optimum: matrix completion, robust PCA, phase
retrieval, CP tensor decomposition and dictionary learning (the library's ``nonconvex``
module). Each function converts its arrays once when they are not already C-contiguous float64
(complex128 for complex phase retrieval), runs the library's method with the GIL released, and
returns a :class:`scipy.optimize.OptimizeResult`-style object (a dict with attribute access).
"""

from __future__ import annotations

import numpy as np

from . import _core
from ._optimize import _result


def _matrix(a, name):
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got {a.ndim} dimensions")
    if np.iscomplexobj(a):
        raise ValueError(f"{name} must be real")
    return np.ascontiguousarray(a, dtype=np.float64)


def complete(rows, cols, values, rank, *, shape=None, method="altmin", lam=1.0, tol=None, max_iter=None, seed=0, n_jobs=None):
    """Completes a low-rank matrix from the observed entries ``M[rows[k], cols[k]] = values[k]``.

    ``method``: ``"altmin"`` (alternating least squares from the spectral start), ``"gd"``
    (factored gradient descent with a balancing term) or ``"softimpute"`` (the convex
    baseline, min ½‖P_Ω(X − M)‖² + ``lam``·‖X‖_*, ``rank`` the largest rank kept). ``shape``
    defaults to the largest indices + 1. ``tol``: stop when the residual falls to this
    fraction of its first value; ``max_iter``: the iteration budget (None: the method's
    defaults).

    Returns ``u`` (m × r) and ``v`` (n × r) with X̂ = u·vᵀ, ``x`` (X̂ itself, m × n), ``nit``,
    ``status``, ``success``, ``residual``.
    """
    rows = np.asarray(rows, dtype=np.int64).ravel()
    cols = np.asarray(cols, dtype=np.int64).ravel()
    values = np.ascontiguousarray(values, dtype=np.float64).ravel()
    if shape is None:
        if rows.size == 0:
            raise ValueError("no observed entries: give at least one, and a shape")
        shape = (int(rows.max()) + 1, int(cols.max()) + 1)
    out = _core.complete(
        rows, cols, values, (int(shape[0]), int(shape[1])), int(rank),
        method=method, lam=float(lam), tol=tol, max_iter=max_iter, seed=int(seed), n_jobs=n_jobs,
    )
    info = out["info"]
    return _result(
        u=out["u"], v=out["v"], x=out["u"] @ out["v"].T,
        nit=info["n_iter"], status=info["status"], success=info["converged"],
        residual=info["residual"], fun=info["objective"], message=info["status"],
    )


def robust_pca(M, rank=None, *, method="altproj", lam=None, alpha=0.2, tol=None, max_iter=None, seed=0, n_jobs=None):
    """Splits ``M`` into a low-rank ``L`` and a sparse ``S`` with M = L + S.

    ``method``: ``"altproj"`` (alternating projections, Netrapalli et al. 2014; needs
    ``rank``), ``"pcp"`` (principal component pursuit, min ‖L‖_* + λ‖S‖₁ by the inexact
    augmented Lagrangian; ``lam`` defaults to 1/√max(m, n)) or ``"gd"`` (factored gradient
    descent, Yi et al. 2016; needs ``rank``; ``alpha`` bounds the corrupted fraction per row and
    column).

    Returns ``low_rank``, ``sparse``, ``nit``, ``status``, ``success``, ``residual``.
    """
    out = _core.robust_pca(
        _matrix(M, "M"), method=method, rank=None if rank is None else int(rank),
        lam=None if lam is None else float(lam), alpha=float(alpha), tol=tol, max_iter=max_iter,
        seed=int(seed), n_jobs=n_jobs,
    )
    info = out["info"]
    return _result(
        low_rank=out["low_rank"], sparse=out["sparse"],
        nit=info["n_iter"], status=info["status"], success=info["converged"],
        residual=info["residual"], fun=info["objective"], message=info["status"],
    )


def phase_retrieval(A, y, *, method="twf", tol=None, max_iter=None, seed=0, n_jobs=None):
    """Recovers x, up to a global phase, from the intensities ``y = |A·x|²``.

    ``A``: m × n, real (float64) or complex (complex128); m must be large enough for the
    problem to be determined (a few times n). ``method``: ``"twf"`` (truncated Wirtinger flow,
    Chen & Candès 2015) or ``"wf"`` (Wirtinger flow, Candès, Li & Soltanolkotabi 2015), each
    from its spectral start. ``tol``: stop when ‖∇f‖ ≤ tol (absolute).

    Returns ``x``, ``nit``, ``status``, ``success``, ``residual``, ``fun``.
    """
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"A must be a 2-D array, got {A.ndim} dimensions")
    A = np.ascontiguousarray(A, dtype=np.complex128 if np.iscomplexobj(A) else np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64).ravel()
    out = _core.phase_retrieval(A, y, method=method, tol=tol, max_iter=max_iter, seed=int(seed), n_jobs=n_jobs)
    info = out["info"]
    return _result(
        x=out["x"], nit=info["n_iter"], status=info["status"], success=info["converged"],
        residual=info["residual"], fun=info["objective"], message=info["status"],
    )


def cp(X, rank, *, init="svd", max_iter=None, tol=None, restarts=0, compress=True, seed=0, n_jobs=None):
    """The rank-``rank`` CP (CANDECOMP/PARAFAC) decomposition of a 3-way array by alternating
    least squares (Kolda & Bader 2009): X ≈ Σᵣ λᵣ aᵣ ∘ bᵣ ∘ cᵣ.

    ``init``: ``"svd"`` (HOSVD) or ``"random"``; ``restarts`` further seeded random starts, the
    best fit kept; ``compress``: run the first start on a Tucker-compressed core (Bro &
    Andersson 1998) before refining on X. ``tol``: stop when the fit changes by at most tol
    in a sweep.

    Returns ``weights`` (λ, length R), ``factors`` ([A (I × R), B (J × R), C (K × R)], unit
    columns), ``fit`` (1 − ‖X − X̂‖/‖X‖), ``nit``, ``success``, and :func:`cp_to_tensor`'s
    X̂ as ``x``.
    """
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(f"X must be a 3-D array, got {X.ndim} dimensions")
    if np.iscomplexobj(X):
        raise ValueError("X must be real")
    out = _core.cp(
        np.ascontiguousarray(X, dtype=np.float64), int(rank), init=init, max_iter=max_iter, tol=tol,
        restarts=int(restarts), compress=bool(compress), seed=int(seed), n_jobs=n_jobs,
    )
    return _result(
        weights=out["weights"], factors=list(out["factors"]),
        x=cp_to_tensor(out["weights"], out["factors"]),
        fit=out["fit"], nit=out["n_iter"], total_iterations=out["total_iterations"],
        success=out["converged"], message="converged" if out["converged"] else "not converged",
    )


def cp_to_tensor(weights, factors):
    """Σᵣ λᵣ aᵣ ∘ bᵣ ∘ cᵣ as a dense I × J × K array."""
    a, b, c = factors
    return np.einsum("r,ir,jr,kr->ijk", np.asarray(weights), a, b, c)


def dictionary_learning(Y, n_atoms, sparsity, *, max_iter=None, tol=None, power_iters=None, seed=0, n_jobs=None):
    """K-SVD dictionary learning (Aharon, Elad & Bruckstein 2006) on the signals that are the
    rows of ``Y`` (n × d): Y ≈ codes · dictionary with ``sparsity`` nonzeros per code
    (orthogonal matching pursuit) and ``n_atoms`` unit-norm atoms.

    Returns ``dictionary`` (n_atoms × d, one atom per row), ``codes`` (n × n_atoms),
    ``residual`` (‖Y − codes·dictionary‖_F/‖Y‖_F), ``nit``, ``success``, ``replaced`` (atoms
    replaced because unused or duplicate).
    """
    out = _core.dictionary_learning(
        _matrix(Y, "Y"), int(n_atoms), int(sparsity), max_iter=max_iter, tol=tol,
        power_iters=power_iters, seed=int(seed), n_jobs=n_jobs,
    )
    return _result(
        dictionary=out["dictionary"], codes=out["codes"], residual=out["residual"],
        nit=out["n_iter"], success=out["converged"], replaced=out["replaced"],
        message="converged" if out["converged"] else "not converged",
    )
