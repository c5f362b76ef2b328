"""hessian_spectrum against numpy.linalg.eigh on the dense Hessian, built here independently
from the model's formulas."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression

import optml


def with_ones(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def logistic_hessian(X, w, C):
    Xa = with_ones(X)
    p = 1.0 / (1.0 + np.exp(-(Xa @ w)))
    H = Xa.T @ ((p * (1 - p))[:, None] * Xa)
    d = X.shape[1]
    H[:d, :d] += np.eye(d) / C
    return H


def softmax_hessian(X, W, b, C):
    """Parameters ordered as the library holds them: W (k × d, row-major), then b (k)."""
    n, d = X.shape
    k = W.shape[0]
    Z = X @ W.T + b
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    A = np.einsum("ic,ce->ice", P, np.eye(k)) - np.einsum("ic,ie->ice", P, P)
    Xa = with_ones(X)
    H4 = np.einsum("ice,ij,il->cjel", A, Xa, Xa)
    index = np.empty((k, d + 1), dtype=int)
    index[:, :d] = np.arange(k * d).reshape(k, d)
    index[:, d] = k * d + np.arange(k)
    H = np.zeros((k * (d + 1), k * (d + 1)))
    flat = index.ravel()
    H[np.ix_(flat, flat)] = H4.reshape(k * (d + 1), k * (d + 1))
    H[: k * d, : k * d] += np.eye(k * d) / C
    return H


def test_logistic_top_eigenvalues_trace_and_exact_match_eigh():
    X, y = make_classification(n_samples=300, n_features=10, n_redundant=0, random_state=0)
    est = optml.LogisticRegression(C=0.5).fit(X, y)
    w = np.r_[est.coef_.ravel(), est.intercept_]
    H = logistic_hessian(X, w, 0.5)
    ref = np.linalg.eigh(H)[0][::-1]
    s = optml.hessian_spectrum(est, X, y, top_k=3, trace_probes=40, exact=True)
    np.testing.assert_allclose(s.eigenvalues, ref[:3], rtol=1e-9)
    np.testing.assert_allclose(s.exact_largest, ref[:3], rtol=1e-9)
    np.testing.assert_allclose(s.exact_trace, np.trace(H), rtol=1e-10)
    # Krylov-deflated Hutchinson: within its error bars (and a percent).
    assert abs(s.trace - np.trace(H)) <= max(5 * (s.trace_std_error or 0.0), 1e-2 * np.trace(H))
    for value, vector in zip(s.eigenvalues, s.eigenvectors):
        np.testing.assert_allclose(H @ vector, value * vector, atol=1e-7 * ref[0])
    assert s.dim == 11
    assert s.value == pytest.approx(est.objective_, rel=1e-12)


def test_smallest_eigenvalues_mean_scale_and_no_penalty():
    X, y = make_classification(n_samples=200, n_features=6, n_redundant=0, random_state=1)
    est = optml.LogisticRegression(C=2.0).fit(X, y)
    w = np.r_[est.coef_.ravel(), est.intercept_]
    H = logistic_hessian(X, w, 2.0)
    s = optml.hessian_spectrum(est, X, y, top_k=2, which="smallest")
    np.testing.assert_allclose(s.eigenvalues, np.linalg.eigh(H)[0][:2], rtol=1e-8)
    mean = optml.hessian_spectrum(est, X, y, top_k=1, mean=True)
    np.testing.assert_allclose(mean.eigenvalues[0], np.linalg.eigh(H / 200)[0][-1], rtol=1e-9)
    bare = optml.hessian_spectrum(est, X, y, top_k=1, penalty=False)
    np.testing.assert_allclose(bare.eigenvalues[0], np.linalg.eigh(H - np.diag(np.r_[np.full(6, 0.5), 0.0]))[0][-1], rtol=1e-9)


def test_multinomial_top_eigenvalues_match_eigh():
    X, y = make_classification(n_samples=300, n_features=8, n_informative=5, n_redundant=0, n_classes=4, random_state=2)
    est = optml.LogisticRegression(C=1.0).fit(X, y)
    H = softmax_hessian(X, est.coef_, est.intercept_, 1.0)
    ref = np.linalg.eigh(H)[0][::-1]
    s = optml.hessian_spectrum(est, X, y, top_k=4)
    np.testing.assert_allclose(s.eigenvalues, ref[:4], rtol=1e-8)


def test_ridge_hessian_is_the_gram_matrix():
    X, y = make_regression(n_samples=120, n_features=7, random_state=3)
    est = optml.Ridge(alpha=3.0).fit(X, y)
    Xa = with_ones(X)
    H = Xa.T @ Xa + np.diag(np.r_[np.full(7, 3.0), 0.0])
    s = optml.hessian_spectrum(est, X, y, top_k=8, exact=True, max_dim=8)
    np.testing.assert_allclose(s.eigenvalues, np.linalg.eigh(H)[0][::-1], rtol=1e-8)


def test_density_integrates_to_one_and_its_mean_is_the_mean_eigenvalue():
    X, y = make_classification(n_samples=300, n_features=20, n_redundant=0, random_state=4)
    est = optml.LogisticRegression(C=1.0).fit(X, y)
    H = logistic_hessian(X, np.r_[est.coef_.ravel(), est.intercept_], 1.0)
    s = optml.hessian_spectrum(est, X, y, top_k=0, density_probes=20, density_steps=21, trace_probes=3000, trace_method="hutchinson")
    assert s.eigenvalues is None
    integrate = getattr(np, "trapezoid", None) or np.trapz
    assert integrate(s.density, s.density_grid) == pytest.approx(1.0, abs=1e-2)
    mean = integrate(s.density * s.density_grid, s.density_grid)
    assert mean == pytest.approx(np.trace(H) / H.shape[0], rel=0.2)
    assert abs(s.trace - np.trace(H)) <= 5 * s.trace_std_error


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_mlp_lanczos_agrees_with_the_dense_spectrum():
    """At a point short of the optimum, as the spectrum is often looked at during training."""
    X, y = make_classification(n_samples=150, n_features=5, n_classes=3, n_informative=4, n_redundant=0, random_state=5)
    est = optml.MLPClassifier(hidden_layer_sizes=(6,), max_iter=50, random_state=0).fit(X, y)
    for gauss_newton in (False, True):
        s = optml.hessian_spectrum(est, X, y, top_k=3, exact=True, gauss_newton=gauss_newton)
        np.testing.assert_allclose(s.eigenvalues, s.exact_largest, rtol=1e-7)
    gn = optml.hessian_spectrum(est, X, y, top_k=0, exact=True, gauss_newton=True)
    assert gn.exact_smallest[0] > -1e-10, "the Gauss-Newton matrix is positive semi-definite"


def test_spectrum_input_errors():
    X, y = make_classification(n_samples=60, n_features=4, n_classes=3, n_informative=3, n_redundant=0, random_state=6)
    svc = optml.LinearSVC().fit(X, y)
    with pytest.raises(ValueError, match="no single Hessian"):
        optml.hessian_spectrum(svc, X, y)
    est = optml.LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="not trained on"):
        optml.hessian_spectrum(est, X, y + 10)
    with pytest.raises(ValueError, match="which must be"):
        optml.hessian_spectrum(est, X, y, which="middle")
