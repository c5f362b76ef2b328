from typing import Any, Optional

import numpy.typing as npt
from scipy.optimize import OptimizeResult

def hessian_spectrum(
    estimator: Any,
    X: Any,
    y: npt.ArrayLike,
    *,
    params: Optional[npt.ArrayLike] = ...,
    top_k: int = ...,
    which: str = ...,
    tol: float = ...,
    max_dim: int = ...,
    trace_probes: int = ...,
    trace_method: str = ...,
    density_probes: int = ...,
    density_steps: int = ...,
    exact: bool = ...,
    start: str = ...,
    mean: bool = ...,
    penalty: bool = ...,
    gauss_newton: bool = ...,
    seed: int = ...,
    n_jobs: Optional[int] = ...,
) -> OptimizeResult: ...
