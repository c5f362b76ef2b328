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
