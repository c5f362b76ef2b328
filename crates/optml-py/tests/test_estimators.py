"""The estimators against scikit-learn's: same objective, same predictions."""

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn.linear_model as sk
import sklearn.svm as sksvm
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.preprocessing import StandardScaler

import optml


def logistic_objective(est, X, y, C, sample_weight=None):
    """scikit-learn's LogisticRegression objective with an L2 penalty:
    C·Σᵢ sᵢ·(−log p(yᵢ | xᵢ)) + ½‖W‖²."""
    s = np.ones(len(y)) if sample_weight is None else sample_weight
    logp = est.predict_log_proba(X)
    idx = np.searchsorted(est.classes_, y)
    return C * np.sum(s * -logp[np.arange(len(y)), idx]) + 0.5 * np.sum(est.coef_**2)


def breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("C", [0.1, 1.0, 100.0])
def test_binary_logistic_reaches_sklearns_objective(C):
    X, y = breast_cancer()
    ours = optml.LogisticRegression(C=C).fit(X, y)
    ref = sk.LogisticRegression(C=C, tol=1e-12, max_iter=100_000).fit(X, y)
    f_ours, f_ref = logistic_objective(ours, X, y, C), logistic_objective(ref, X, y, C)
    # ours is at least as low, and the two agree to 1e-8 relative
    assert f_ours <= f_ref * (1 + 1e-10)
    assert abs(f_ours - f_ref) <= 1e-8 * f_ref
    assert (ours.predict(X) == ref.predict(X)).mean() > 0.99


def test_multinomial_logistic_reaches_sklearns_objective():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    ours = optml.LogisticRegression(C=1.0).fit(X, y, sample_weight=w)
    ref = sk.LogisticRegression(C=1.0, tol=1e-12, max_iter=100_000).fit(X, y, sample_weight=w)
    assert ours.coef_.shape == ref.coef_.shape == (3, 4)
    f_ours = logistic_objective(ours, X, y, 1.0, w)
    f_ref = logistic_objective(ref, X, y, 1.0, w)
    assert f_ours <= f_ref * (1 + 1e-10)
    assert abs(f_ours - f_ref) <= 1e-8 * f_ref
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_l1_logistic_matches_sklearn_saga():
    X, y = breast_cancer()
    C = 0.1
    ours = optml.LogisticRegression(penalty="l1", C=C).fit(X, y)
    ref = sk.LogisticRegression(l1_ratio=1.0, C=C, solver="saga", tol=1e-10, max_iter=100_000).fit(X, y)

    def f(est):
        logp = est.predict_log_proba(X)
        return C * -logp[np.arange(len(y)), y].sum() + np.abs(est.coef_).sum()

    assert f(ours) <= f(ref) * (1 + 1e-8)
    assert np.count_nonzero(ours.coef_) < X.shape[1], "the lasso drops features"


def test_sparse_and_dense_fits_agree():
    X, y = make_classification(n_samples=300, n_features=20, random_state=0)
    X[np.abs(X) < 0.8] = 0.0
    dense = optml.LogisticRegression().fit(X, y)
    sparse = optml.LogisticRegression().fit(sp.csr_matrix(X), y)
    np.testing.assert_allclose(dense.coef_, sparse.coef_, rtol=1e-8, atol=1e-10)
    # CSC, COO and unsorted CSR are converted to canonical CSR once
    coo = optml.LogisticRegression().fit(sp.coo_matrix(X), y)
    np.testing.assert_allclose(coo.coef_, dense.coef_, rtol=1e-8, atol=1e-10)


def test_linear_svc_matches_sklearn_on_its_objective():
    X, y = breast_cancer()
    C = 0.5
    ours = optml.LinearSVC(C=C, fit_intercept=False).fit(X, y)
    ref = sksvm.LinearSVC(C=C, fit_intercept=False, tol=1e-10, max_iter=100_000, dual=False).fit(X, y)

    def f(est):
        z = np.where(y == 1, 1.0, -1.0) * est.decision_function(X)
        return C * np.sum(np.maximum(0.0, 1.0 - z) ** 2) + 0.5 * np.sum(est.coef_**2)

    assert abs(f(ours) - f(ref)) <= 1e-6 * f(ref)


def test_ridge_matches_sklearn():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 8))
    y = X @ rng.standard_normal(8) + 3.0 + 0.1 * rng.standard_normal(200)
    ours = optml.Ridge(alpha=2.0).fit(X, y)
    ref = sk.Ridge(alpha=2.0).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-7)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-7)


def test_library_errors_keep_their_message():
    X, y = breast_cancer()
    with pytest.raises(ValueError, match="unknown solver 'nope'"):
        optml.LogisticRegression(solver="nope").fit(X, y)
    with pytest.raises(ValueError, match="does not handle a non-smooth penalty"):
        optml.LogisticRegression(penalty="l1", solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="threads"):
        optml.LogisticRegression(n_jobs=100_000).fit(X, y)


def test_n_jobs_gives_the_same_bits():
    X, y = breast_cancer()
    one = optml.LogisticRegression(solver="lbfgs", n_jobs=1).fit(X, y)
    two = optml.LogisticRegression(solver="lbfgs", n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(one.coef_, two.coef_)


def test_mlp_learns_what_a_linear_model_cannot():
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=300, noise=0.1, random_state=0)
    mlp = optml.MLPClassifier(hidden_layer_sizes=(16,), alpha=1e-3, max_iter=1000, random_state=0).fit(X, y)
    linear = optml.LogisticRegression().fit(X, y)
    assert mlp.score(X, y) > 0.97 > 0.92 > linear.score(X, y)
    np.testing.assert_allclose(mlp.predict_proba(X).sum(axis=1), 1.0)
    again = optml.MLPClassifier(hidden_layer_sizes=(16,), alpha=1e-3, max_iter=1000, random_state=0).fit(X, y)
    np.testing.assert_array_equal(mlp.theta_, again.theta_)
