"""scikit-learn's own estimator checks, every one of them, on every estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from optml import LinearSVC, LogisticRegression, MLPClassifier, Ridge


@parametrize_with_checks([LogisticRegression(), LinearSVC(), Ridge()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@parametrize_with_checks(
    [
        LogisticRegression(penalty="l1", C=2.0),
        LogisticRegression(penalty="elasticnet", l1_ratio=0.5),
        LogisticRegression(solver="lbfgs", n_jobs=1),
    ]
)
def test_sklearn_estimator_checks_other_penalties_and_solvers(estimator, check):
    check(estimator)


@parametrize_with_checks([MLPClassifier(hidden_layer_sizes=(8,), max_iter=300)])
def test_sklearn_estimator_checks_mlp(estimator, check):
    check(estimator)
