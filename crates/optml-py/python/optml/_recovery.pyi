from typing import Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt
from scipy.optimize import OptimizeResult

def complete(
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    values: npt.ArrayLike,
    rank: int,
    *,
    shape: Optional[Tuple[int, int]] = ...,
    method: str = ...,
    lam: float = ...,
    tol: Optional[float] = ...,
    max_iter: Optional[int] = ...,
    seed: int = ...,
    n_jobs: Optional[int] = ...,
) -> OptimizeResult: ...
def robust_pca(
    M: npt.ArrayLike,
    rank: Optional[int] = ...,
    *,
    method: str = ...,
    lam: Optional[float] = ...,
    alpha: float = ...,
    tol: Optional[float] = ...,
    max_iter: Optional[int] = ...,
    seed: int = ...,
    n_jobs: Optional[int] = ...,
) -> OptimizeResult: ...
def phase_retrieval(
    A: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    method: str = ...,
    tol: Optional[float] = ...,
    max_iter: Optional[int] = ...,
    seed: int = ...,
    n_jobs: Optional[int] = ...,
) -> OptimizeResult: ...
def cp(
    X: npt.ArrayLike,
    rank: int,
    *,
    init: str = ...,
    max_iter: Optional[int] = ...,
    tol: Optional[float] = ...,
    restarts: int = ...,
    compress: bool = ...,
    seed: int = ...,
    n_jobs: Optional[int] = ...,
) -> OptimizeResult: ...
def cp_to_tensor(weights: npt.ArrayLike, factors: Sequence[npt.ArrayLike]) -> npt.NDArray[np.float64]: ...
def dictionary_learning(
    Y: npt.ArrayLike,
    n_atoms: int,
    sparsity: int,
    *,
    max_iter: Optional[int] = ...,
    tol: Optional[float] = ...,
    power_iters: Optional[int] = ...,
    seed: int = ...,
    n_jobs: Optional[int] = ...,
) -> OptimizeResult: ...
