from typing import Any, Optional

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin

class LOMTreeClassifier(ClassifierMixin, BaseEstimator):
    model_: str
    classes_: npt.NDArray[Any]
    n_passes_: int
    best_pass_: int
    holdout_error_: npt.NDArray[np.float64]
    def __init__(
        self,
        *,
        kind: str = ...,
        n_internal_nodes: Optional[int] = ...,
        swap_resistance: float = ...,
        learning_rate: float = ...,
        leaf_classes: Optional[int] = ...,
        split_after: int = ...,
        passes: int = ...,
        holdout: int = ...,
        random_state: Any = ...,
        n_jobs: Optional[int] = ...,
    ) -> None: ...
    def fit(self, X: Any, y: npt.ArrayLike) -> "LOMTreeClassifier": ...
    def predict(self, X: Any) -> npt.NDArray[Any]: ...
