from typing import Any, Callable, Optional, Sequence

import numpy as np
import numpy.typing as npt
from scipy.optimize import OptimizeResult

def minimize(
    fun: Callable[..., Any],
    x0: npt.ArrayLike,
    args: tuple = ...,
    method: Optional[str] = ...,
    jac: Any = ...,
    hess: Optional[Callable[..., npt.ArrayLike]] = ...,
    hessp: Optional[Callable[..., npt.ArrayLike]] = ...,
    bounds: Any = ...,
    constraints: Any = ...,
    tol: Optional[float] = ...,
    callback: Optional[Callable[..., Any]] = ...,
    options: Optional[dict] = ...,
) -> OptimizeResult: ...
def scipy_method(name: str) -> Callable[..., OptimizeResult]: ...
