"""Recovery problems from Python, each on a planted instance drawn here with NumPy: the known
answer is the planted one."""

import numpy as np
import pytest

import optml


def rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def planted_completion(m=60, n=50, r=3, fraction=0.5, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    mask = rng.random((m, n)) < fraction
    rows, cols = np.nonzero(mask)
    return truth, rows, cols, truth[rows, cols]


@pytest.mark.parametrize("method", ["altmin", "gd"])
def test_completion_recovers_a_planted_low_rank_matrix(method):
    truth, rows, cols, values = planted_completion()
    res = optml.complete(rows, cols, values, 3, shape=truth.shape, method=method, seed=1)
    assert res.u.shape == (60, 3) and res.v.shape == (50, 3)
    np.testing.assert_allclose(res.x, res.u @ res.v.T)
    assert rel(res.x, truth) < 1e-6, (method, rel(res.x, truth), res.status)


@pytest.mark.parametrize("lam", [0.5, 2.0])
def test_softimpute_returns_the_soft_thresholding_fixed_point(lam):
    """The nuclear-norm problem's optimality condition: X = S_λ(P_Ω(M) + P_Ω⊥(X))."""
    truth, rows, cols, values = planted_completion()
    res = optml.complete(rows, cols, values, 10, shape=truth.shape, method="softimpute", lam=lam, max_iter=3000)
    assert res.success, res.status
    Z = res.x.copy()
    Z[rows, cols] = values
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    assert rel((U * np.maximum(s - lam, 0.0)) @ Vt, res.x) < 1e-6
    assert rel(res.x, truth) < 0.1


def test_completion_refuses_bad_entries_with_one_line():
    with pytest.raises(ValueError, match="outside"):
        optml.complete([0, 5], [0, 1], [1.0, 2.0], 1, shape=(3, 3))
    with pytest.raises(ValueError, match="twice|duplicate"):
        optml.complete([0, 0], [1, 1], [1.0, 2.0], 1, shape=(3, 3))
    with pytest.raises(ValueError, match="unknown completion method"):
        optml.complete([0, 1], [0, 1], [1.0, 2.0], 1, method="magic")


def planted_rpca(n=80, r=3, corruption=0.05, seed=0):
    rng = np.random.default_rng(seed)
    L = rng.standard_normal((n, r)) @ rng.standard_normal((r, n))
    S = np.where(rng.random((n, n)) < corruption, rng.uniform(5, 10, (n, n)) * rng.choice([-1, 1], (n, n)), 0.0)
    return L, S


@pytest.mark.parametrize("method,tol", [("altproj", 1e-4), ("pcp", 1e-5), ("gd", 1e-5)])
def test_robust_pca_separates_a_planted_low_rank_and_sparse_sum(method, tol):
    L, S = planted_rpca()
    res = optml.robust_pca(L + S, 3, method=method)
    assert rel(res.low_rank, L) < tol, (method, rel(res.low_rank, L), res.status)
    np.testing.assert_allclose(res.low_rank + res.sparse, L + S, atol=1e-6 * np.abs(L + S).max())


def test_robust_pca_accepts_any_layout_and_refuses_nan():
    L, S = planted_rpca(n=40, r=2)
    a = optml.robust_pca(L + S, 2)
    b = optml.robust_pca(np.asfortranarray(L + S).astype(np.float32).astype(np.float64, order="F"), 2)
    np.testing.assert_allclose(a.low_rank, b.low_rank, rtol=0, atol=1e-6 * np.abs(L).max())
    M = L + S
    M[3, 4] = np.nan
    with pytest.raises(FloatingPointError, match="column 4"):
        optml.robust_pca(M, 2)
    with pytest.raises(ValueError, match="needs a rank"):
        optml.robust_pca(L + S, method="altproj")


def distance_up_to_phase(z, x):
    c = np.vdot(z, x)
    phase = c / abs(c) if abs(c) > 0 else 1.0
    return np.linalg.norm(z * phase - x) / np.linalg.norm(x)


@pytest.mark.parametrize("method", ["twf", "wf"])
@pytest.mark.parametrize("complex_", [False, True])
def test_phase_retrieval_recovers_a_planted_signal_up_to_phase(method, complex_):
    rng = np.random.default_rng(3)
    n, m = 24, 24 * 10
    if complex_:
        x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)
        A = (rng.standard_normal((m, n)) + 1j * rng.standard_normal((m, n))) / np.sqrt(2)
    else:
        x = rng.standard_normal(n)
        A = rng.standard_normal((m, n))
    y = np.abs(A @ x) ** 2
    res = optml.phase_retrieval(A, y, method=method, max_iter=5000)
    assert np.iscomplexobj(res.x) == complex_
    assert distance_up_to_phase(res.x, x) < 1e-6, (method, complex_, distance_up_to_phase(res.x, x), res.status)


def test_phase_retrieval_refuses_negative_intensities():
    A = np.random.default_rng(0).standard_normal((40, 4))
    y = np.ones(40)
    y[7] = -1.0
    with pytest.raises(ValueError, match="measurement 7"):
        optml.phase_retrieval(A, y)


def test_cp_recovers_a_planted_tensor():
    rng = np.random.default_rng(5)
    factors = [rng.standard_normal((d, 3)) for d in (10, 9, 8)]
    X = np.einsum("ir,jr,kr->ijk", *factors)
    res = optml.cp(X, 3)
    assert res.fit > 1 - 1e-7, res.fit
    assert rel(res.x, X) < 1e-7
    assert [f.shape for f in res.factors] == [(10, 3), (9, 3), (8, 3)]
    for f in res.factors:
        np.testing.assert_allclose(np.linalg.norm(f, axis=0), 1.0, rtol=1e-10)
    # Each planted component is found (up to order and sign).
    a_true = factors[0] / np.linalg.norm(factors[0], axis=0)
    match = np.abs(a_true.T @ res.factors[0])
    assert np.all(match.max(axis=1) > 1 - 1e-6)


def test_cp_refuses_a_matrix():
    with pytest.raises(ValueError, match="3-D"):
        optml.cp(np.ones((3, 4)), 1)


def test_dictionary_learning_recovers_planted_atoms():
    rng = np.random.default_rng(11)
    d, k, s, n = 20, 40, 3, 2000
    D = rng.standard_normal((k, d))
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    codes = np.zeros((n, k))
    for i in range(n):
        support = rng.choice(k, s, replace=False)
        codes[i, support] = rng.standard_normal(s)
    Y = codes @ D
    res = optml.dictionary_learning(Y, k, s, max_iter=60, seed=2)
    assert res.dictionary.shape == (k, d) and res.codes.shape == (n, k)
    np.testing.assert_allclose(np.linalg.norm(res.dictionary, axis=1), 1.0, rtol=1e-10)
    assert np.all((res.codes != 0).sum(axis=1) <= s)
    np.testing.assert_allclose(res.residual, rel(res.codes @ res.dictionary, Y) if res.residual > 0 else 0.0, rtol=1e-6, atol=1e-12)
    recovered = (np.abs(D @ res.dictionary.T).max(axis=1) > 0.99).mean()
    assert recovered >= 0.9, recovered
