"""Games against their known equilibria (a linear program solved by scipy, a linear system),
and the LOMtree classifier."""

import numpy as np
import pytest
from scipy.optimize import linprog
from sklearn.datasets import make_blobs
from sklearn.utils.estimator_checks import parametrize_with_checks

import optml


def game_value(A):
    """min_x max_y xᵀAy by linear programming: min v s.t. Aᵀx ≤ v, x on the simplex."""
    m, n = A.shape
    res = linprog(np.r_[np.zeros(m), 1.0], A_ub=np.c_[A.T, -np.ones(n)], b_ub=np.zeros(n),
                  A_eq=np.r_[np.ones(m), 0.0][None, :], b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)])
    return res.fun


def test_rock_paper_scissors_is_solved_by_cmd():
    A = np.array([[0.0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    res = optml.matrix_game(A, x0=[0.5, 0.3, 0.2], y0=[0.2, 0.2, 0.6], lr=10.0)
    assert res.success, res.status
    np.testing.assert_allclose(res.x, 1 / 3, atol=1e-6)
    np.testing.assert_allclose(res.y, 1 / 3, atol=1e-6)
    assert res.exploitability < 1e-6


@pytest.mark.parametrize("method", ["cmd", "extragradient"])
def test_a_random_matrix_game_reaches_the_linear_programs_value(method):
    A = np.random.default_rng(4).standard_normal((6, 5))
    res = optml.matrix_game(A, method=method, lr=10.0 if method == "cmd" else 0.5, max_iter=20000, tol=1e-10)
    assert abs(res.value - game_value(A)) < 1e-5, (res.value, game_value(A), res.status)
    assert res.exploitability < 1e-5
    assert np.all(res.x >= 0) and abs(res.x.sum() - 1) < 1e-12


def test_cgd_finds_the_bilinear_equilibrium_where_gda_spirals_out():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((5, 5)) + 3 * np.eye(5)
    b, c = rng.standard_normal(5), rng.standard_normal(5)
    x_star, y_star = np.linalg.solve(A.T, -c), np.linalg.solve(A, -b)
    cgd = optml.bilinear_game(A, b, c, method="cgd", lr=0.5, tol=1e-10, max_iter=5000)
    assert cgd.success, cgd.status
    np.testing.assert_allclose(cgd.x, x_star, atol=1e-7)
    np.testing.assert_allclose(cgd.y, y_star, atol=1e-7)
    gda = optml.bilinear_game(A, b, c, method="gda", lr=0.5, max_iter=200)
    assert not gda.success
    assert np.linalg.norm(gda.x - x_star) > np.linalg.norm(x_star)


def test_game_input_errors():
    with pytest.raises(ValueError, match="unknown game method"):
        optml.matrix_game(np.eye(2), method="magic")
    with pytest.raises(ValueError, match="use cmd"):
        optml.bilinear_game(np.eye(2), method="cgd", potential_x="simplex", x0=[0.5, 0.5], y0=[0.5, 0.5])
    with pytest.raises(ValueError, match="finite"):
        optml.bilinear_game(np.array([[np.inf, 0], [0, 1]]))


def test_lomtree_learns_separated_classes_and_predicts_their_labels():
    X, y = make_blobs(n_samples=1200, centers=8, n_features=10, cluster_std=0.5, random_state=0)
    labels = np.array(list("abcdefgh"))[y]
    for kind in ("lomtree", "oaa"):
        est = optml.LOMTreeClassifier(kind=kind, random_state=0).fit(X, labels)
        assert (est.predict(X) == labels).mean() > 0.9, kind
        assert set(est.predict(X)) <= set(labels)
    a = optml.LOMTreeClassifier(random_state=3).fit(X, labels)
    b = optml.LOMTreeClassifier(random_state=3).fit(X, labels)
    assert a.model_ == b.model_, "the same seed gives the same model"


@parametrize_with_checks([optml.LOMTreeClassifier()])
def test_lomtree_passes_scikit_learns_checks(estimator, check):
    check(estimator)
