"""NumPy and SciPy arrays reach the solver without a copy; other layouts are converted once."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.sparse as sp

import optml
from optml import _core


def labels(n):
    return (np.arange(n) % 2).astype(np.float64)


def test_c_contiguous_float64_is_used_in_place():
    X = np.random.default_rng(0).standard_normal((50, 4))
    out = _core.fit_glm(labels(50), "logistic", x=X, c=1.0)
    assert out["data_address"] == X.ctypes.data


def test_read_only_arrays_are_used_in_place():
    X = np.random.default_rng(0).standard_normal((50, 4))
    X.setflags(write=False)
    out = _core.fit_glm(labels(50), "logistic", x=X, c=1.0)
    assert out["data_address"] == X.ctypes.data


def test_scipy_csr_is_used_in_place():
    X = sp.random(60, 10, density=0.3, format="csr", random_state=0, dtype=np.float64)
    X.indices = X.indices.astype(np.int32)
    out = _core.fit_glm(
        labels(60), "logistic", csr=(X.shape, X.indptr.astype(np.int64), X.indices, X.data), c=1.0
    )
    assert out["data_address"] == X.data.ctypes.data


def test_other_layouts_are_refused_by_the_core_and_converted_by_the_package():
    X = np.asfortranarray(np.random.default_rng(0).standard_normal((50, 4)))
    with pytest.raises((ValueError, TypeError)):
        _core.fit_glm(labels(50), "logistic", x=X, c=1.0)
    with pytest.raises(TypeError):
        _core.fit_glm(labels(50), "logistic", x=X.astype(np.float32), c=1.0)
    # the estimators convert once
    a = optml.LogisticRegression().fit(X, labels(50))
    b = optml.LogisticRegression().fit(np.ascontiguousarray(X), labels(50))
    c = optml.LogisticRegression().fit(X.astype(np.float32), labels(50))
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_allclose(c.coef_, b.coef_, rtol=1e-5)


def test_bad_csr_is_an_error_not_a_crash():
    indptr = np.array([0, 2, 1], dtype=np.int64)
    indices = np.array([0, 1], dtype=np.int32)
    data = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="CSR indptr decreases at row 1|disagree"):
        _core.fit_glm(np.array([0.0, 1.0]), "logistic", csr=((2, 2), indptr, indices, data), c=1.0)
    neg = np.array([0, 1, 2], dtype=np.int64)
    with pytest.raises(ValueError, match="column index out of range"):
        _core.fit_glm(
            np.array([0.0, 1.0]),
            "logistic",
            csr=((2, 2), neg, np.array([0, -1], dtype=np.int32), data),
            c=1.0,
        )


def test_fitting_a_large_array_adds_no_copy_of_it():
    """Peak RSS grows by far less than X's size while fitting (a fresh process)."""
    code = textwrap.dedent(
        """
        import resource, numpy as np, optml
        n, d = 50_000, 200  # 80 MB (per-sample vectors of the solver are n floats each)
        rng = np.random.default_rng(0)
        X = rng.standard_normal((n, d))
        y = (X[:, 0] > 0).astype(float)
        # imports and first-call costs first, on a small copy
        est = optml.LogisticRegression(solver="lbfgs", max_iter=2, tol=0.0)
        est.fit(X[:1000].copy(), y[:1000].copy())
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        est.fit(X, y)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print((after - before) * 1024 / X.nbytes)
        """
    )
    import warnings

    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    growth = float(out.stdout.strip().splitlines()[-1])
    assert growth < 0.1, f"peak RSS grew by {growth:.2f}× the size of X"
