"""optml: second-order and non-convex optimization for machine learning.

* :func:`minimize` — the library's smooth solvers with ``scipy.optimize.minimize``'s
  conventions, returning a :class:`scipy.optimize.OptimizeResult`; :func:`scipy_method` makes
  one usable as ``scipy.optimize.minimize(..., method=optml.scipy_method("arc"))``.
* :class:`LogisticRegression`, :class:`LinearSVC`, :class:`Ridge`, :class:`MLPClassifier` —
  scikit-learn estimators.

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

_ESTIMATORS = ("LinearSVC", "LogisticRegression", "MLPClassifier", "Ridge")


def __getattr__(name):
    # The estimators need scikit-learn, an optional dependency: imported on first use.
    if name in _ESTIMATORS:
        from . import _sklearn

        return getattr(_sklearn, name)
    raise AttributeError(f"module 'optml' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_ESTIMATORS))

__all__ = [
    "LinearSVC",
    "LogisticRegression",
    "Ridge",
    "SolverError",
    "__version__",
    "methods",
    "minimize",
    "scipy_method",
]
