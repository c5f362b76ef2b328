from ._core import SolverError as SolverError, __version__ as __version__, methods as methods
from ._optimize import minimize as minimize, scipy_method as scipy_method
from ._sklearn import (
    LinearSVC as LinearSVC,
    LogisticRegression as LogisticRegression,
    MLPClassifier as MLPClassifier,
    Ridge as Ridge,
)
