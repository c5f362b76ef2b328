from typing import Optional

import numpy.typing as npt
from scipy.optimize import OptimizeResult

def matrix_game(
    A: npt.ArrayLike,
    *,
    method: str = ...,
    x0: Optional[npt.ArrayLike] = ...,
    y0: Optional[npt.ArrayLike] = ...,
    lr: Optional[float] = ...,
    lr_y: Optional[float] = ...,
    gamma: Optional[float] = ...,
    tol: Optional[float] = ...,
    max_iter: Optional[int] = ...,
) -> OptimizeResult: ...
def bilinear_game(
    A: npt.ArrayLike,
    b: Optional[npt.ArrayLike] = ...,
    c: Optional[npt.ArrayLike] = ...,
    *,
    method: str = ...,
    x0: Optional[npt.ArrayLike] = ...,
    y0: Optional[npt.ArrayLike] = ...,
    lr: Optional[float] = ...,
    lr_y: Optional[float] = ...,
    gamma: Optional[float] = ...,
    potential_x: str = ...,
    potential_y: str = ...,
    tol: Optional[float] = ...,
    max_iter: Optional[int] = ...,
) -> OptimizeResult: ...
