"""A scikit-learn classifier over the library's log-time multiclass trees."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _core
from ._sklearn import _design, _n_jobs


class LOMTreeClassifier(ClassifierMixin, BaseEstimator):
    """A LOMtree (Choromanska & Langford 2015): an online multiclass tree that predicts in time
    logarithmic in the number of classes, each node a linear router trained by normalized
    adaptive steps; ``kind="oaa"`` trains one-against-all with the same learner instead.

    ``n_internal_nodes``: the most internal nodes (None: 2k, one leaf per class);
    ``swap_resistance``: how much a full tree resists moving a leaf; ``learning_rate``: the
    node learner's step; ``leaf_classes``: the candidate classes each leaf refines over by a
    small one-against-some (None: 4⌈log₂ k⌉, at most k; 0: a leaf predicts its label);
    ``split_after``: examples outside a leaf's majority class before it splits; ``passes``: the
    most passes over the data, with every
    ``holdout``-th example (after a seeded shuffle) held out to keep the best pass and stop
    after two passes without improvement (0: no holdout, every pass run); ``random_state``
    seeds the example order (None: 0, so fits repeat). The fitted model is kept as its JSON
    file text in ``model_``.
    """

    def __init__(
        self,
        *,
        kind="lomtree",
        n_internal_nodes=None,
        swap_resistance=4.0,
        learning_rate=0.5,
        leaf_classes=None,
        split_after=2,
        passes=5,
        holdout=10,
        random_state=None,
        n_jobs=None,
    ):
        self.kind = kind
        self.n_internal_nodes = n_internal_nodes
        self.swap_resistance = swap_resistance
        self.learning_rate = learning_rate
        self.leaf_classes = leaf_classes
        self.split_after = split_after
        self.passes = passes
        self.holdout = holdout
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, y):
        """Fits on X (n × d, dense or sparse) and labels y."""
        from sklearn.utils import check_random_state

        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(
                f"This solver needs samples of at least 2 classes in the data, but the data contains only one class: {self.classes_[0]!r}"
            )
        seed = 0 if self.random_state is None else int(check_random_state(self.random_state).randint(2**31 - 1))
        out = _core.fit_tree(
            yi.astype(np.float64),
            kind=self.kind,
            internal_nodes=None if self.n_internal_nodes is None else int(self.n_internal_nodes),
            swap_resistance=float(self.swap_resistance),
            learning_rate=float(self.learning_rate),
            leaf_classes=None if self.leaf_classes is None else int(self.leaf_classes),
            split_after=int(self.split_after),
            passes=int(self.passes),
            holdout=int(self.holdout),
            seed=seed,
            n_jobs=_n_jobs(self.n_jobs),
            **_design(X),
        )
        self.model_ = out["model"]
        self.n_passes_ = out["passes"]
        self.best_pass_ = out["best_pass"]
        self.holdout_error_ = np.asarray(out["holdout_error"])
        return self

    def predict(self, X):
        """The class of the leaf each row reaches."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, order="C", reset=False)
        idx = _core.tree_predict(self.model_, **_design(X))
        return self.classes_[idx.astype(np.intp)]
