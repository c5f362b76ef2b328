"""optml: second-order and non-convex optimization for machine learning.

* :func:`minimize` — the library's smooth solvers with ``scipy.optimize.minimize``'s
  conventions, returning a :class:`scipy.optimize.OptimizeResult`; :func:`scipy_method` makes
  one usable as ``scipy.optimize.minimize(..., method=optml.scipy_method("arc"))``.
* :class:`LogisticRegression`, :class:`LinearSVC`, :class:`Ridge`, :class:`MLPClassifier` —
  scikit-learn estimators; :class:`LOMTreeClassifier`, a log-time multiclass tree.
* :func:`hessian_spectrum` — top-k eigenpairs, trace and spectral density of a fitted
  estimator's Hessian.
* :func:`complete`, :func:`robust_pca`, :func:`phase_retrieval`, :func:`cp`,
  :func:`dictionary_learning` — recovery problems solved to the global optimum.
* :func:`matrix_game`, :func:`bilinear_game` — equilibria of two-player games by competitive
  gradient and mirror descent and the simultaneous baselines.

Arrays: a C-contiguous float64 array and a SciPy CSR matrix (float64 data, int32 indices,
sorted, no duplicates) are used in place, without a copy. Anything else (float32, Fortran
order, a strided view, another sparse format, int64 indices) is converted once, on the Python
side, before the solve. The GIL is released while a solver runs: do not change an input array
from another thread during a call.

Errors from the library keep their one-line message: invalid input raises ``ValueError``, a
non-finite value ``FloatingPointError``, a numerical failure :class:`SolverError` (a
``RuntimeError``).
"""

from ._core import SolverError, __version__, methods
from ._optimize import minimize, scipy_method
from ._games import bilinear_game, matrix_game
from ._recovery import complete, cp, cp_to_tensor, dictionary_learning, phase_retrieval, robust_pca

_ESTIMATORS = ("LinearSVC", "LogisticRegression", "MLPClassifier", "Ridge")


def __getattr__(name):
    # The estimators need scikit-learn, an optional dependency: imported on first use.
    if name in _ESTIMATORS:
        from . import _sklearn

        return getattr(_sklearn, name)
    if name == "LOMTreeClassifier":
        from ._tree import LOMTreeClassifier

        return LOMTreeClassifier
    if name == "hessian_spectrum":
        from ._spectrum import hessian_spectrum

        return hessian_spectrum
    raise AttributeError(f"module 'optml' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_ESTIMATORS) + ["LOMTreeClassifier", "hessian_spectrum"])

__all__ = [
    "LOMTreeClassifier",
    "LinearSVC",
    "LogisticRegression",
    "MLPClassifier",
    "Ridge",
    "SolverError",
    "__version__",
    "bilinear_game",
    "complete",
    "cp",
    "cp_to_tensor",
    "dictionary_learning",
    "hessian_spectrum",
    "matrix_game",
    "methods",
    "minimize",
    "phase_retrieval",
    "robust_pca",
    "scipy_method",
]
