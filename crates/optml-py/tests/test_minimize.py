"""optml.minimize against scipy.optimize.minimize, and scipy's own minimize tests ported to
optml's methods (scipy/optimize/tests/test_optimize.py, BSD-3; scipy dispatches on method
strings, so the tests that take a method are ported and parametrized here).

Ported and applicable: TestNewtonCg (Rosenbrock, Himmelblau), CheckOptimize's entropy problem,
test_custom (a callable method), test_minimize_callback_copies_array, test_no_increase,
test_respect_maxiter, test_nan_values, test_duplicate_evaluations, test_callback_stopiteration
(both callback styles),
TestOptimizeResultAttributes. Not applicable: the bounds/constraints tests (optml.minimize is
unconstrained and says so), TestOptimizeScalar, TestBracket, TestBrute, global optimization."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_equal
from scipy import optimize

import optml

ALL = optml.methods()
# The methods that converge superlinearly on a smooth problem (the first-order ones need many
# iterations on Rosenbrock's valley).
FAST = [m for m in ALL if m not in ("gd", "agd", "ncg")]


@pytest.mark.parametrize("method", ALL)
def test_rosenbrock_like_scipy(method):
    # (in 4 to 7 dimensions Rosenbrock has a second local minimum; in 3 only the one at 1)
    x0 = np.array([-1.2, 1.0, -0.5])
    ref = optimize.minimize(optimize.rosen, x0, jac=optimize.rosen_der, method="BFGS", options={"gtol": 1e-8})
    res = optml.minimize(
        optimize.rosen,
        x0,
        jac=optimize.rosen_der,
        hessp=optimize.rosen_hess_prod,
        method=method,
        tol=1e-8,
        options={"maxiter": 50_000},
    )
    assert res.success, res.message
    assert_allclose(res.x, ref.x, rtol=1e-5)
    assert res.fun == optimize.rosen(res.x)
    assert_allclose(res.jac, optimize.rosen_der(res.x))


@pytest.mark.parametrize("method", FAST)
def test_scipy_calls_optml_as_a_custom_method(method):
    res = optimize.minimize(
        optimize.rosen,
        [-1.2, 1.0],
        jac=optimize.rosen_der,
        hess=optimize.rosen_hess,
        method=optml.scipy_method(method),
        tol=1e-8,
    )
    assert isinstance(res, optimize.OptimizeResult)
    assert res.success, res.message
    assert_allclose(res.x, [1.0, 1.0], rtol=1e-6)


@pytest.mark.parametrize("method", ["newton-cg", "trust-region", "newton", "arc"])
def test_newton_cg_rosenbrock_and_himmelblau(method):
    """TestNewtonCg: Rosenbrock from (−1.2, 1) at tol 1e-5, Himmelblau from (−0.27, −0.9)."""
    sol = optml.minimize(optimize.rosen, [-1.2, 1.0], jac=optimize.rosen_der, hess=optimize.rosen_hess, tol=1e-5, method=method)
    assert sol.success, sol.message
    assert_allclose(sol.x, [1, 1], rtol=1e-4)

    def himmelblau(p):
        x, y = p
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def himmelblau_grad(p):
        x, y = p
        return np.array([4 * x**3 + 4 * x * y - 42 * x + 2 * y**2 - 14, 2 * x**2 + 4 * x * y + 4 * y**3 - 26 * y - 22])

    def himmelblau_hess(p):
        x, y = p
        return np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])

    sol = optml.minimize(himmelblau, [-0.27, -0.9], jac=himmelblau_grad, hess=himmelblau_hess, method=method, tol=1e-6)
    assert sol.success, sol.message
    # Himmelblau has four minima, all with f = 0; scipy's Newton-CG finds (3, 2) from here
    assert_allclose(sol.fun, 0.0, atol=1e-4)


class Entropy:
    """CheckOptimize's problem: entropy maximization (Berger et al. 1996)."""

    F = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 0, 0]], dtype=float)
    K = np.array([1.0, 0.3, 0.5])
    solution = np.array([0.0, -0.524869316, 0.487525860])

    def func(self, x):
        log_pdot = self.F @ x
        return np.log(np.sum(np.exp(log_pdot))) - self.K @ x

    def grad(self, x):
        log_pdot = self.F @ x
        p = np.exp(log_pdot - np.log(np.sum(np.exp(log_pdot))))
        return self.F.T @ p - self.K

    def hessp(self, x, v):
        log_pdot = self.F @ x
        p = np.exp(log_pdot - np.log(np.sum(np.exp(log_pdot))))
        Fv = self.F @ v
        return self.F.T @ (p * Fv) - (self.F.T @ p) * (p @ Fv)


@pytest.mark.parametrize("method", ALL)
def test_entropy_problem(method):
    e = Entropy()
    res = optml.minimize(e.func, np.zeros(3), jac=e.grad, hessp=e.hessp, method=method, tol=1e-9, options={"maxiter": 10_000})
    assert res.success, res.message
    assert_allclose(e.func(res.x), e.func(e.solution), atol=1e-6)
    assert_allclose(res.x[1:] - res.x[0], e.solution[1:], atol=1e-4)


@pytest.mark.parametrize("method", ALL)
def test_callback_arrays_are_copies(method):
    results = []

    def callback(x):
        assert not isinstance(x, optimize.OptimizeResult)
        results.append((x, np.copy(x)))

    optml.minimize(optimize.rosen, np.zeros(10), jac=optimize.rosen_der, method=method, callback=callback, options={"maxiter": 5})
    assert len(results) > 2
    assert all(np.all(x == y) for x, y in results)
    assert not any(np.may_share_memory(a[0], b[0]) for a, b in itertools.combinations(results, 2))


@pytest.mark.parametrize("method", ALL)
def test_no_increase(method):
    """A wrong gradient: the line searches fail, and x0 is never left for a worse point."""

    def func(x):
        return float(((x - 1) ** 2)[0])

    def bad_grad(x):
        return 2 * (x - 1) * (-1) - 2

    x0 = np.array([2.0])
    sol = optml.minimize(func, x0, jac=bad_grad, method=method, options={"maxiter": 20})
    assert_equal(func(sol.x), sol.fun)
    assert func(sol.x) <= func(x0)


@pytest.mark.parametrize("method", ALL)
def test_respect_maxiter(method):
    sol = optml.minimize(optimize.rosen, np.zeros(10), jac=optimize.rosen_der, method=method, options={"maxiter": 4})
    assert sol.nit == 4
    assert sol.status == 1 and not sol.success


@pytest.mark.parametrize("method", ALL)
def test_nan_values(method):
    rng = np.random.default_rng(123122)
    count = [0]

    def func(x):
        return np.nan

    def func2(x):
        count[0] += 1
        return np.nan if count[0] > 2 else rng.random()

    def grad(x):
        return np.array([1.0])

    for f in (func, func2):
        count[0] = 0
        with np.errstate(invalid="ignore"):
            sol = optml.minimize(f, np.array([1.0]), jac=grad, method=method, options={"maxiter": 20})
        assert_equal(sol.success, False)


@pytest.mark.parametrize("method", ALL)
@pytest.mark.parametrize("new_cb_interface", [0, 1, 2])
def test_callback_stopiteration(method, new_cb_interface):
    maxiter = 5
    calls = {"i": 0}

    def f(x):
        return optimize.rosen(x)

    def callback():
        calls["i"] += 1
        if calls["i"] == maxiter:
            raise StopIteration()

    if new_cb_interface == 1:

        def cb(*, intermediate_result):
            assert intermediate_result.fun == f(intermediate_result.x)
            callback()

    elif new_cb_interface == 2:

        class Callback:
            def __call__(self, intermediate_result: optimize.OptimizeResult):
                assert intermediate_result.fun == f(intermediate_result.x)
                callback()

        cb = Callback()
    else:

        def cb(xk, *args):
            callback()

    kwargs = dict(fun=f, x0=[1.1] * 5, jac=optimize.rosen_der, hess=optimize.rosen_hess, method=method)
    res = optml.minimize(**kwargs, callback=cb)
    ref = optml.minimize(**kwargs, options={"maxiter": maxiter})
    assert res.nit == maxiter == ref.nit
    assert res.status == 99 and not res.success
    assert res.message.startswith("`callback` raised `StopIteration`")
    assert_allclose(res.x, ref.x)


def test_result_attributes():
    for method in ALL:
        res = optml.minimize(optimize.rosen, [5, 5], method=method, jac=optimize.rosen_der, hess=optimize.rosen_hess, hessp=optimize.rosen_hess_prod)
        for attribute in ["nit", "nfev", "njev", "nhev", "x", "jac", "success", "status", "fun", "message"]:
            assert hasattr(res, attribute)
        assert isinstance(res.message, str)


class Boom(Exception):
    pass


@pytest.mark.parametrize(
    "where, method",
    [(w, m) for w in ("fun", "jac", "hessp", "callback") for m in ("lbfgs", "newton-cg", "arc") if (w, m) != ("hessp", "lbfgs")],
)
def test_an_exception_in_python_stops_the_solve_and_propagates(where, method):
    calls = {"n": 0}
    boom = Boom("from inside")

    def maybe_raise(name):
        if name == where:
            calls["n"] += 1
            if calls["n"] == 3:
                raise boom

    def fun(x):
        maybe_raise("fun")
        return optimize.rosen(x)

    def jac(x):
        maybe_raise("jac")
        return optimize.rosen_der(x)

    def hessp(x, p):
        maybe_raise("hessp")
        return optimize.rosen_hess_prod(x, p)

    with pytest.raises(Boom) as info:
        optml.minimize(fun, [-1.2, 1.0], jac=jac, hessp=hessp, method=method, callback=lambda x: maybe_raise("callback"))
    assert info.value is boom
    assert calls["n"] == 3, "nothing is called after the exception"


def test_jac_true_and_finite_differences():
    def fg(x):
        return optimize.rosen(x), optimize.rosen_der(x)

    a = optml.minimize(fg, [-1.2, 1.0], jac=True, method="bfgs", tol=1e-8)
    b = optml.minimize(optimize.rosen, [-1.2, 1.0], method="bfgs", tol=1e-6)
    assert a.success and b.success
    assert_allclose(a.x, [1, 1], rtol=1e-6)
    assert_allclose(b.x, [1, 1], rtol=1e-4)
    assert a.nfev == a.njev


def test_bounds_are_refused_and_unknown_methods_named():
    with pytest.raises(ValueError, match="bounds and constraints"):
        optml.minimize(optimize.rosen, [0.0, 0.0], bounds=[(0, 1), (0, 1)])
    with pytest.raises(ValueError, match="unknown solver 'nope'"):
        optml.minimize(optimize.rosen, [0.0, 0.0], jac=optimize.rosen_der, method="nope")
    with pytest.raises(ValueError, match="unknown method"):
        optml.scipy_method("nope")


@pytest.mark.parametrize("method", ALL)
def test_duplicate_evaluations(method):
    """No two consecutive calls of fun at the same point (CheckOptimize's problem)."""
    e = Entropy()
    trace = []

    def f(x):
        trace.append(np.copy(x))
        return e.func(x)

    optml.minimize(f, np.zeros(3), jac=e.grad, hessp=e.hessp, method=method)
    for i in range(1, len(trace)):
        assert not np.array_equal(trace[i - 1], trace[i]), f"duplicate evaluation by {method}"
