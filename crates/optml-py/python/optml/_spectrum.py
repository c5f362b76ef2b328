"""The spectrum of a fitted model's Hessian: top-k eigenpairs by Lanczos, the trace (Krylov
Hutchinson, Hutch++ or Hutchinson) and the spectral density (stochastic Lanczos quadrature), as
PyHessian reports them, computed by the library on the model's training objective."""

from __future__ import annotations

import json

import numpy as np

from . import _core
from ._optimize import _result


def _labels(estimator, y):
    """Class indices 0…K−1 of the labels ``y`` in the estimator's ``classes_``."""
    y = np.asarray(y)
    idx = np.searchsorted(estimator.classes_, y)
    idx = np.clip(idx, 0, estimator.classes_.size - 1)
    if not np.all(estimator.classes_[idx] == y):
        raise ValueError("y holds labels the model was not trained on")
    return idx.astype(np.float64)


def hessian_spectrum(
    estimator,
    X,
    y,
    *,
    params=None,
    top_k=5,
    which="largest",
    tol=1e-8,
    max_dim=300,
    trace_probes=0,
    trace_method="krylov",
    density_probes=0,
    density_steps=100,
    exact=False,
    start="gradient",
    mean=False,
    penalty=True,
    gauss_newton=False,
    seed=0,
    n_jobs=None,
):
    """The spectrum of the Hessian of a fitted estimator's training objective on (X, y), at its
    fitted parameters (or at ``params``).

    ``estimator``: a fitted :class:`LogisticRegression` (its smooth part: the loss and the
    ridge; an L1 part has no Hessian), a binary :class:`LinearSVC`, a :class:`Ridge`, or a
    :class:`MLPClassifier` (the Hessian of the mean cross-entropy plus (alpha/2n)·Σ‖Wₗ‖², or
    with ``gauss_newton`` the generalized Gauss-Newton matrix). For the GLMs the objective is
    the sum Σᵢ ℓᵢ + ridge the estimator minimizes; ``mean`` divides it by n (PyHessian's
    scale), ``penalty=False`` drops the ridge. Parameters are ordered as the library holds
    them: W (k × d, row-major), then the k intercepts; an MLP's θ layer by layer.

    What to compute: ``top_k`` eigenpairs at the ``which`` end (``"largest"``, ``"smallest"``,
    ``"magnitude"``) by Lanczos to residual ``tol``, with at most ``max_dim`` basis vectors,
    started from the gradient (``start="gradient"``) or at random; ``trace_probes`` operator
    products for the trace by ``trace_method`` (``"krylov"``, ``"hutch++"``,
    ``"hutchinson"``); ``density_probes`` probes of ``density_steps`` Lanczos steps for the
    density; ``exact``: also form the Hessian densely and diagonalize it (small models only).

    Returns ``eigenvalues``, ``eigenvectors`` (one per row), ``residuals``, ``trace`` and
    ``trace_std_error``, ``density_grid`` and ``density``, ``exact_largest``,
    ``exact_smallest``, ``exact_trace``, ``value`` (the objective at the point), ``products``
    (operator products of the estimates), ``dim`` and ``report`` (the library's full report
    as a dict). Parts not asked for are None.
    """
    from ._sklearn import LinearSVC, LogisticRegression, MLPClassifier, Ridge, _design

    from sklearn.utils.validation import check_is_fitted, validate_data

    check_is_fitted(estimator)
    analysis = {
        "top_k": int(top_k),
        "which": which,
        "tol": float(tol),
        "max_dim": int(max_dim),
        "trace_probes": int(trace_probes),
        "trace_method": trace_method,
        "density_probes": int(density_probes),
        "density_steps": int(density_steps),
        "exact": bool(exact),
        "start": start,
        "seed": int(seed),
    }
    if isinstance(estimator, MLPClassifier):
        X = validate_data(estimator, X, dtype=np.float64, order="C", reset=False)
        theta = estimator.theta_ if params is None else params
        out = _core.mlp_spectrum(
            X,
            _labels(estimator, y),
            np.ascontiguousarray(theta, dtype=np.float64),
            estimator.layer_sizes_,
            analysis,
            activation=estimator._activation(),
            l2=float(estimator.alpha) / X.shape[0] if penalty else 0.0,
            gauss_newton=bool(gauss_newton),
            n_jobs=n_jobs,
        )
    else:
        if gauss_newton:
            raise ValueError("gauss_newton applies to MLPClassifier: a GLM's Hessian is its Gauss-Newton matrix")
        X = validate_data(estimator, X, accept_sparse="csr", dtype=np.float64, reset=False)
        coef = np.atleast_2d(estimator.coef_)
        intercept = np.atleast_1d(estimator.intercept_)
        weights = coef.ravel()
        if estimator.fit_intercept:
            weights = np.concatenate([weights, intercept])
        if isinstance(estimator, LogisticRegression):
            k = estimator.classes_.size
            loss = "logistic" if k == 2 else "softmax"
            ridge = estimator.penalty == "l2" or (estimator.penalty == "elasticnet" and float(estimator.l1_ratio) == 0.0)
            c = float(estimator.C) if ridge else None
            labels, n_classes = _labels(estimator, y), k
        elif isinstance(estimator, LinearSVC):
            if estimator.classes_.size > 2:
                raise ValueError("a LinearSVC of more than two classes is one binary problem per class: it has no single Hessian")
            loss, c = "squared-hinge", float(estimator.C)
            labels, n_classes = _labels(estimator, y), 2
        elif isinstance(estimator, Ridge):
            loss = "least-squares"
            c = None if float(estimator.alpha) == 0.0 else 1.0 / float(estimator.alpha)
            labels, n_classes = np.asarray(y, dtype=np.float64), 0
        else:
            raise TypeError(f"hessian_spectrum takes an optml estimator, got {type(estimator).__name__}")
        if params is not None:
            weights = params
        out = _core.glm_spectrum(
            labels,
            loss,
            np.ascontiguousarray(weights, dtype=np.float64),
            n_classes,
            analysis,
            c=c,
            intercept=bool(estimator.fit_intercept),
            mean=bool(mean),
            ridge=bool(penalty),
            n_jobs=n_jobs,
            **_design(X),
        )
    report = json.loads(out["report"])
    eigen = report.get("eigen")
    trace = report.get("trace")
    density = report.get("density")
    exact_part = report.get("exact")
    return _result(
        eigenvalues=None if eigen is None else np.array(eigen["values"]),
        eigenvectors=None if eigen is None else out["eigenvectors"],
        residuals=None if eigen is None else np.array(eigen["residuals"]),
        trace=None if trace is None else trace["estimate"],
        trace_std_error=None if trace is None else trace["std_error"],
        density_grid=None if density is None else np.array(density["grid"]),
        density=None if density is None else np.array(density["density"]),
        exact_largest=None if exact_part is None else np.array(exact_part["largest"]),
        exact_smallest=None if exact_part is None else np.array(exact_part["smallest"]),
        exact_trace=None if exact_part is None else exact_part["trace"],
        value=report.get("value"),
        products=report["products"],
        dim=report["dim"],
        report=report,
    )
