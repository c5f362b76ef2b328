"""scikit-learn estimators over the library's GLM fit.

Each estimator is a plain Python class holding its fitted state in NumPy arrays (``coef_``,
``intercept_``, ``classes_``, ``n_iter_``), so ``clone``, ``get_params`` and pickling work as for
any scikit-learn estimator. ``fit`` validates its input with scikit-learn's own helpers (NaN,
infinity, complex values, empty data and unknown label types are refused with scikit-learn's
messages), converts X once to C-contiguous float64 (or canonical CSR with int32 indices) when it
is not already, and hands the arrays to the library without a further copy. Prediction is a
NumPy product.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import _core


def _design(X):
    """The keyword arguments that pass X to ``_core.fit_glm``: ``x`` for a dense array (used in
    place when it is C-contiguous float64), ``csr`` for a sparse one (in place when it is CSR
    with float64 data, int32 indices, sorted and without duplicates)."""
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover - scikit-learn needs scipy
        sp = None
    if sp is not None and sp.issparse(X):
        X = X.tocsr()
        if not X.has_canonical_format:
            X = X.copy()
            X.sum_duplicates()
        if X.indices.size and X.indices.max() > np.iinfo(np.int32).max:
            raise ValueError("sparse X: column indices must fit in int32")
        return {
            "csr": (
                X.shape,
                np.ascontiguousarray(X.indptr, dtype=np.int64),
                np.ascontiguousarray(X.indices, dtype=np.int32),
                np.ascontiguousarray(X.data, dtype=np.float64),
            )
        }
    return {"x": np.ascontiguousarray(X, dtype=np.float64)}


def _n_jobs(n_jobs):
    if n_jobs is None:
        return None
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return int(n_jobs)


def _fit(estimator, X, y, loss, c, penalty=None, lam=0.0, alpha=1.0, sample_weight=None):
    out = _core.fit_glm(
        np.asarray(y, dtype=np.float64),
        loss,
        c=c,
        penalty=penalty,
        lam=lam,
        alpha=alpha,
        intercept=bool(estimator.fit_intercept),
        sample_weight=None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64),
        solver=estimator.solver,
        tol=float(estimator.tol),
        relative=True,
        max_iter=int(estimator.max_iter),
        n_jobs=_n_jobs(getattr(estimator, "n_jobs", None)),
        **_design(X),
    )
    if not out["converged"]:
        warnings.warn(
            f"{type(estimator).__name__}: the solver stopped without converging ({out['status']}); "
            "raise max_iter or tol",
            ConvergenceWarning,
        )
    return out


def _split(weights, k, d, fit_intercept):
    coef = weights[: k * d].reshape(k, d)
    intercept = weights[k * d :] if fit_intercept else np.zeros(k)
    return coef.copy(), np.array(intercept, dtype=np.float64)


class _LinearClassifier(ClassifierMixin, BaseEstimator):
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _validate_fit(self, X, y, sample_weight):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(
                f"This solver needs samples of at least 2 classes in the data, but the data contains only one class: {self.classes_[0]!r}"
            )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        return X, yi, sample_weight

    def decision_function(self, X):
        """Scores X·Wᵀ + b: shape (n,) for two classes (positive: ``classes_[1]``), (n, K) else."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        scores = np.asarray(scores)
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X):
        """The class of highest score."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]


class LogisticRegression(_LinearClassifier):
    """Logistic regression: binary, or multinomial (softmax) for more than two classes.

    Minimizes C·Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + r(W) — scikit-learn's objective — as the library's
    Σᵢ sᵢ·ℓ + r(W)/C: ``penalty="l2"``: r = ½‖W‖²; ``"l1"``: ‖W‖₁; ``"elasticnet"``:
    l1_ratio·‖W‖₁ + (1 − l1_ratio)/2·‖W‖²; ``None``: no penalty. The intercept is not
    penalized.

    ``solver``: ``"auto"`` (Newton for few parameters, else L-BFGS; proximal Newton with an L1
    part) or a method name (``newton-cg``, ``trust-region``, ``newton``, ``lbfgs``, ``bfgs``,
    ``arc``, …; ``prox-newton``, ``fista``, ``prox-grad`` with an L1 part). ``tol``: stop when
    ‖∇F‖ ≤ tol·‖∇F(0)‖ (the default is tight, so refits and weighted fits agree to rounding).
    ``n_jobs``: threads of the solve (None: all cores).
    """

    def __init__(
        self,
        penalty="l2",
        *,
        C=1.0,
        l1_ratio=None,
        fit_intercept=True,
        solver="auto",
        tol=1e-10,
        max_iter=1000,
        n_jobs=None,
    ):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.n_jobs = n_jobs

    def _regularization(self):
        if self.penalty is not None and self.penalty not in ("l2", "l1", "elasticnet"):
            raise ValueError(f"penalty must be 'l2', 'l1', 'elasticnet' or None, got {self.penalty!r}")
        if self.penalty is None:
            return {"c": None}
        if not (np.isscalar(self.C) and float(self.C) > 0 and np.isfinite(float(self.C))):
            raise ValueError(f"C must be a positive finite number, got {self.C!r}")
        C = float(self.C)
        if self.penalty == "l2":
            return {"c": C}
        if self.penalty == "l1":
            return {"c": None, "penalty": "l1", "lam": 1.0 / C}
        r = self.l1_ratio
        if r is None or not (0.0 <= float(r) <= 1.0):
            raise ValueError(f"penalty='elasticnet' needs l1_ratio in [0, 1], got {r!r}")
        if float(r) == 0.0:
            return {"c": C}
        return {"c": None, "penalty": "elasticnet", "lam": 1.0 / C, "alpha": float(r)}

    def fit(self, X, y, sample_weight=None):
        """Fits on X (n × d, dense or sparse) and labels y; ``sample_weight`` ≥ 0 per sample."""
        X, yi, sample_weight = self._validate_fit(X, y, sample_weight)
        k = self.classes_.size
        loss = "logistic" if k == 2 else "softmax"
        out = _fit(self, X, yi, loss, sample_weight=sample_weight, **self._regularization())
        self.coef_, self.intercept_ = _split(out["weights"], 1 if k == 2 else k, X.shape[1], self.fit_intercept)
        self.n_iter_ = np.array([max(1, out["n_iter"])], dtype=np.int32)
        self.objective_ = out["objective"]
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p = np.empty_like(scores)
            pos = scores >= 0
            p[pos] = 1.0 / (1.0 + np.exp(-scores[pos]))
            e = np.exp(scores[~pos])
            p[~pos] = e / (1.0 + e)
            return np.column_stack([1.0 - p, p])
        z = scores - scores.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


class LinearSVC(_LinearClassifier):
    """A linear support vector classifier with the squared hinge (L2-SVM) loss.

    Minimizes Σᵢ sᵢ·max(0, 1 − yᵢ(w·xᵢ + b))² + ‖w‖²/(2C) (scikit-learn's LinearSVC objective
    divided by C, with the intercept unpenalized); one-vs-rest for more than two classes.
    """

    def __init__(self, *, C=1.0, fit_intercept=True, solver="auto", tol=1e-10, max_iter=1000, n_jobs=None):
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.n_jobs = n_jobs

    def fit(self, X, y, sample_weight=None):
        """Fits on X (n × d, dense or sparse) and labels y; ``sample_weight`` ≥ 0 per sample."""
        X, yi, sample_weight = self._validate_fit(X, y, sample_weight)
        if not (np.isscalar(self.C) and float(self.C) > 0 and np.isfinite(float(self.C))):
            raise ValueError(f"C must be a positive finite number, got {self.C!r}")
        k = self.classes_.size
        # The library fits more than two classes one-vs-rest: k rows of weights.
        out = _fit(self, X, yi, "squared-hinge", float(self.C), sample_weight=sample_weight)
        self.coef_, self.intercept_ = _split(out["weights"], 1 if k == 2 else k, X.shape[1], self.fit_intercept)
        self.n_iter_ = max(1, out["n_iter"])
        return self


class Ridge(RegressorMixin, BaseEstimator):
    """Least squares with a ridge: minimizes ½Σᵢ sᵢ(yᵢ − w·xᵢ − b)² + (alpha/2)‖w‖²
    (scikit-learn's Ridge objective halved; ``alpha=0``: ordinary least squares)."""

    def __init__(self, alpha=1.0, *, fit_intercept=True, solver="auto", tol=1e-10, max_iter=1000, n_jobs=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.n_jobs = n_jobs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, y, sample_weight=None):
        """Fits on X (n × d, dense or sparse) and real targets y."""
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, order="C", y_numeric=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        if not (np.isscalar(self.alpha) and float(self.alpha) >= 0 and np.isfinite(float(self.alpha))):
            raise ValueError(f"alpha must be a finite number >= 0, got {self.alpha!r}")
        c = None if float(self.alpha) == 0.0 else 1.0 / float(self.alpha)
        out = _fit(self, X, y, "least-squares", c, sample_weight=sample_weight)
        coef, intercept = _split(out["weights"], 1, X.shape[1], self.fit_intercept)
        self.coef_ = coef[0]
        self.intercept_ = float(intercept[0])
        self.n_iter_ = max(1, out["n_iter"])
        return self

    def predict(self, X):
        """X·w + b."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        return np.asarray(X @ self.coef_).ravel() + self.intercept_


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """A multilayer perceptron classifier: softmax outputs, the mean cross-entropy plus
    (alpha/2n)·Σ‖Wₗ‖² (scikit-learn's objective), biases unpenalized.

    ``hidden_layer_sizes``: widths of the hidden layers. ``activation``: ``"tanh"``,
    ``"relu"``, ``"logistic"`` (or ``"sigmoid"``), ``"softplus"``, ``"gelu"``. ``solver``:
    ``"auto"`` (L-BFGS) or a smooth method (``newton-cg`` and ``newton`` run on the
    Gauss-Newton matrix; ``trust-region``, ``arc`` on the exact Hessian). ``random_state``
    seeds the initial weights (None: 0, so fits repeat). X must be dense.
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="tanh",
        *,
        alpha=1e-4,
        solver="auto",
        tol=1e-6,
        max_iter=200,
        random_state=None,
        n_jobs=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _activation(self):
        return "sigmoid" if self.activation == "logistic" else self.activation

    def fit(self, X, y):
        """Fits on dense X (n × d) and labels y."""
        from sklearn.utils import check_random_state

        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(
                f"This solver needs samples of at least 2 classes in the data, but the data contains only one class: {self.classes_[0]!r}"
            )
        hidden = [self.hidden_layer_sizes] if np.isscalar(self.hidden_layer_sizes) else list(self.hidden_layer_sizes)
        if any(int(h) < 1 for h in hidden):
            raise ValueError(f"hidden_layer_sizes must be positive, got {self.hidden_layer_sizes!r}")
        if not (np.isscalar(self.alpha) and float(self.alpha) >= 0 and np.isfinite(float(self.alpha))):
            raise ValueError(f"alpha must be a finite number >= 0, got {self.alpha!r}")
        seed = 0 if self.random_state is None else int(check_random_state(self.random_state).randint(2**31 - 1))
        self.layer_sizes_ = [X.shape[1], *(int(h) for h in hidden), self.classes_.size]
        out = _core.fit_mlp(
            X,
            yi.astype(np.float64),
            self.layer_sizes_,
            activation=self._activation(),
            l2=float(self.alpha) / X.shape[0],
            seed=seed,
            solver=self.solver,
            tol=float(self.tol),
            max_iter=int(self.max_iter),
            n_jobs=_n_jobs(self.n_jobs),
        )
        if not out["converged"]:
            warnings.warn(
                f"MLPClassifier: the solver stopped without converging ({out['status']}); raise max_iter or tol",
                ConvergenceWarning,
            )
        self.theta_ = out["theta"]
        self.n_iter_ = max(1, out["n_iter"])
        self.loss_ = out["objective"]
        return self

    def _outputs(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, order="C", reset=False)
        return _core.mlp_outputs(
            X, self.theta_, self.layer_sizes_, activation=self._activation(), n_jobs=_n_jobs(self.n_jobs)
        )

    def predict_proba(self, X):
        """Class probabilities softmax(z), columns in the order of ``classes_``."""
        z = self._outputs(X)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        z = self._outputs(X)
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def predict(self, X):
        """The class of highest probability."""
        z = self._outputs(X)
        return self.classes_[np.argmax(z, axis=1)]
