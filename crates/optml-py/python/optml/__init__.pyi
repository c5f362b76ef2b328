from ._core import SolverError as SolverError, __version__ as __version__, methods as methods
from ._games import bilinear_game as bilinear_game, matrix_game as matrix_game
from ._optimize import minimize as minimize, scipy_method as scipy_method
from ._recovery import (
    complete as complete,
    cp as cp,
    cp_to_tensor as cp_to_tensor,
    dictionary_learning as dictionary_learning,
    phase_retrieval as phase_retrieval,
    robust_pca as robust_pca,
)
from ._sklearn import (
    LinearSVC as LinearSVC,
    LogisticRegression as LogisticRegression,
    MLPClassifier as MLPClassifier,
    Ridge as Ridge,
)
from ._spectrum import hessian_spectrum as hessian_spectrum
from ._tree import LOMTreeClassifier as LOMTreeClassifier
