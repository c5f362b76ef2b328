"""The native module: stateless functions over NumPy arrays (see the package docstring)."""

from typing import Any, Callable, Optional, Sequence, Tuple, TypedDict

import numpy as np
import numpy.typing as npt

__version__: str

class SolverError(RuntimeError):
    """A numerical failure inside a solver."""

class Fitted(TypedDict):
    weights: npt.NDArray[np.float64]
    n_iter: int
    status: str
    converged: bool
    objective: float
    grad_norm: float
    solver: str
    data_address: int

class Minimized(TypedDict):
    x: npt.NDArray[np.float64]
    fun: float
    jac: npt.NDArray[np.float64]
    nit: int
    nfev: int
    nhev: int
    status: int
    success: bool
    message: str
    solver: str

def methods() -> list[str]:
    """The names of the smooth methods ``minimize`` accepts."""

def fit_glm(
    y: npt.ArrayLike,
    loss: str,
    *,
    x: Optional[npt.NDArray[np.float64]] = None,
    csr: Optional[
        Tuple[
            Tuple[int, int],
            npt.NDArray[np.int64],
            npt.NDArray[np.int32],
            npt.NDArray[np.float64],
        ]
    ] = None,
    c: Optional[float] = None,
    penalty: Optional[str] = None,
    lam: float = 0.0,
    alpha: float = 1.0,
    intercept: bool = True,
    sample_weight: Optional[npt.ArrayLike] = None,
    solver: str = "auto",
    tol: float = 1e-6,
    relative: bool = True,
    max_iter: int = 1000,
    n_jobs: Optional[int] = None,
) -> Fitted:
    """Fits a GLM, F(W, b) = Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C) + h(W), from W = 0.

    ``x`` (C-contiguous float64) or ``csr`` = (shape, indptr, indices, data) is used in place.
    ``y``: class indices 0…K−1 (``logistic``, ``softmax``, ``squared-hinge``) or targets
    (``least-squares``). ``c=None``: no ridge. ``penalty``: ``"l1"`` (λ‖W‖₁) or
    ``"elasticnet"`` (λ(α‖W‖₁ + (1−α)/2‖W‖²)) with λ = ``lam``, α = ``alpha``. The GIL is
    released during the solve, which runs on ``n_jobs`` threads (None: all cores).
    """

def minimize(
    fg: Callable[[npt.NDArray[np.float64]], Tuple[float, npt.ArrayLike]],
    x0: Sequence[float] | npt.NDArray[np.float64],
    method: str,
    *,
    hessp: Optional[Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], npt.ArrayLike]] = None,
    hess: Optional[Callable[[npt.NDArray[np.float64]], npt.ArrayLike]] = None,
    callback: Optional[Callable[[npt.NDArray[np.float64], float], bool]] = None,
    tol: float = 1e-5,
    relative: bool = False,
    max_iter: int = 1000,
    max_seconds: float = ...,
) -> Minimized:
    """Minimizes f from ``x0`` with the named method; ``fg(x)`` returns (f(x), ∇f(x)).

    The GIL is released while the solver runs; an exception raised by a callable stops the run
    and propagates. ``callback(x, f)`` returning False stops the run (status 99).
    """

class FittedMlp(TypedDict):
    theta: npt.NDArray[np.float64]
    n_iter: int
    status: str
    converged: bool
    objective: float

def fit_mlp(
    x: npt.NDArray[np.float64],
    y: npt.ArrayLike,
    sizes: Sequence[int],
    *,
    activation: str = "tanh",
    l2: float = 0.0,
    seed: int = 0,
    solver: str = "auto",
    tol: float = 1e-6,
    max_iter: int = 200,
    n_jobs: Optional[int] = None,
) -> FittedMlp:
    """Fits a softmax MLP with layer sizes ``[d, h₁, …, k]`` on class ids ``y`` in 0…k−1:
    mean cross-entropy + (l2/2)·Σ‖Wₗ‖², from the start drawn with ``seed``; ``x`` is used in place."""

def mlp_outputs(
    x: npt.NDArray[np.float64],
    theta: npt.ArrayLike,
    sizes: Sequence[int],
    *,
    activation: str = "tanh",
    n_jobs: Optional[int] = None,
) -> npt.NDArray[np.float64]:
    """The output scores (n × k) of the network ``theta`` on ``x``."""

class Analysed(TypedDict):
    report: str
    eigenvectors: npt.NDArray[np.float64]

def glm_spectrum(
    y: npt.ArrayLike,
    loss: str,
    weights: npt.ArrayLike,
    n_classes: int,
    analysis: dict[str, Any],
    *,
    x: Optional[npt.NDArray[np.float64]] = None,
    csr: Optional[Tuple[Tuple[int, int], npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float64]]] = None,
    c: Optional[float] = None,
    intercept: bool = True,
    mean: bool = False,
    ridge: bool = True,
    n_jobs: Optional[int] = None,
) -> Analysed:
    """The spectrum of a GLM's Hessian at ``weights``; ``report`` is the library's JSON report."""

def mlp_spectrum(
    x: npt.NDArray[np.float64],
    y: npt.ArrayLike,
    theta: npt.NDArray[np.float64],
    sizes: Sequence[int],
    analysis: dict[str, Any],
    *,
    activation: str = "tanh",
    l2: float = 0.0,
    gauss_newton: bool = False,
    n_jobs: Optional[int] = None,
) -> Analysed:
    """The spectrum of an MLP classifier's Hessian (or Gauss-Newton matrix) at θ."""

class RunInfo(TypedDict):
    n_iter: int
    status: str
    converged: bool
    residual: float
    objective: float
    seconds: float

class Completed(TypedDict):
    u: npt.NDArray[np.float64]
    v: npt.NDArray[np.float64]
    info: RunInfo

def complete(
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    values: npt.ArrayLike,
    shape: Tuple[int, int],
    rank: int,
    *,
    method: str = "altmin",
    lam: float = 1.0,
    tol: Optional[float] = None,
    max_iter: Optional[int] = None,
    seed: int = 0,
    n_jobs: Optional[int] = None,
) -> Completed:
    """Matrix completion from observed entries (altmin, gd or softimpute)."""

class Split(TypedDict):
    low_rank: npt.NDArray[np.float64]
    sparse: npt.NDArray[np.float64]
    info: RunInfo

def robust_pca(
    m: npt.NDArray[np.float64],
    *,
    method: str = "altproj",
    rank: Optional[int] = None,
    lam: Optional[float] = None,
    alpha: float = 0.2,
    tol: Optional[float] = None,
    max_iter: Optional[int] = None,
    seed: int = 0,
    n_jobs: Optional[int] = None,
) -> Split:
    """M = L + S (altproj, pcp or gd)."""

class Retrieved(TypedDict):
    x: npt.NDArray[Any]
    info: RunInfo

def phase_retrieval(
    a: npt.NDArray[Any],
    y: npt.ArrayLike,
    *,
    method: str = "twf",
    tol: Optional[float] = None,
    max_iter: Optional[int] = None,
    seed: int = 0,
    n_jobs: Optional[int] = None,
) -> Retrieved:
    """x from y = |A·x|², A float64 or complex128 (twf or wf)."""

class CpFitted(TypedDict):
    weights: npt.NDArray[np.float64]
    factors: list[npt.NDArray[np.float64]]
    fit: float
    n_iter: int
    total_iterations: int
    converged: bool
    seconds: float

def cp(
    x: npt.NDArray[np.float64],
    rank: int,
    *,
    init: str = "svd",
    max_iter: Optional[int] = None,
    tol: Optional[float] = None,
    restarts: int = 0,
    compress: bool = True,
    seed: int = 0,
    n_jobs: Optional[int] = None,
) -> CpFitted:
    """CP decomposition by alternating least squares."""

class Learned(TypedDict):
    dictionary: npt.NDArray[np.float64]
    codes: npt.NDArray[np.float64]
    residual: float
    n_iter: int
    converged: bool
    replaced: int
    seconds: float

def dictionary_learning(
    y: npt.NDArray[np.float64],
    atoms: int,
    sparsity: int,
    *,
    max_iter: Optional[int] = None,
    tol: Optional[float] = None,
    power_iters: Optional[int] = None,
    seed: int = 0,
    n_jobs: Optional[int] = None,
) -> Learned:
    """K-SVD on the rows of ``y``."""

class FittedTree(TypedDict):
    model: str
    passes: int
    best_pass: int
    holdout_error: list[float]
    swaps: int
    seconds: float

def fit_tree(
    y: npt.ArrayLike,
    *,
    x: Optional[npt.NDArray[np.float64]] = None,
    csr: Optional[Tuple[Tuple[int, int], npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float64]]] = None,
    kind: str = "lomtree",
    internal_nodes: Optional[int] = None,
    swap_resistance: float = 4.0,
    learning_rate: float = 0.5,
    leaf_classes: Optional[int] = None,
    split_after: int = 2,
    passes: int = 1,
    holdout: int = 10,
    seed: int = 0,
    n_jobs: Optional[int] = None,
) -> FittedTree:
    """Trains a LOMtree or one-against-all; ``model`` is the model file's JSON text."""

def tree_predict(
    model: str,
    *,
    x: Optional[npt.NDArray[np.float64]] = None,
    csr: Optional[Tuple[Tuple[int, int], npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float64]]] = None,
) -> npt.NDArray[np.float64]:
    """The labels a tree model predicts for each row."""

class Played(TypedDict):
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    n_iter: int
    status: str
    converged: bool
    residual: float
    grads: int
    mixed: int
    pure: int
    cg_iterations: int
    seconds: float

def play_matrix_game(
    a: npt.NDArray[np.float64],
    *,
    method: str = "cmd",
    x0: Optional[npt.ArrayLike] = None,
    y0: Optional[npt.ArrayLike] = None,
    lr_x: Optional[float] = None,
    lr_y: Optional[float] = None,
    gamma: Optional[float] = None,
    tol: Optional[float] = None,
    max_iter: Optional[int] = None,
) -> Played:
    """The zero-sum matrix game min_x max_y xᵀAy on the simplices."""

def play_bilinear_game(
    a: npt.NDArray[np.float64],
    b: npt.ArrayLike,
    c: npt.ArrayLike,
    *,
    method: str = "cgd",
    x0: Optional[npt.ArrayLike] = None,
    y0: Optional[npt.ArrayLike] = None,
    lr_x: Optional[float] = None,
    lr_y: Optional[float] = None,
    gamma: Optional[float] = None,
    potential_x: str = "euclidean",
    potential_y: str = "euclidean",
    tol: Optional[float] = None,
    max_iter: Optional[int] = None,
) -> Played:
    """The bilinear game f(x, y) = xᵀAy + bᵀx + cᵀy."""
