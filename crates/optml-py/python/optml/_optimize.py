"""``scipy.optimize.minimize`` conventions over the library's smooth solvers."""

from __future__ import annotations

import inspect

import numpy as np

from . import _core

_DEFAULT_METHOD = "lbfgs"


def _result(**fields):
    try:
        from scipy.optimize import OptimizeResult
    except ImportError:  # scipy is optional: a dict with attribute access

        class OptimizeResult(dict):
            __getattr__ = dict.__getitem__

    return OptimizeResult(**fields)


def _wants_intermediate_result(callback) -> bool:
    """scipy's rule: the new style when the only parameter is ``intermediate_result``."""
    try:
        return set(inspect.signature(callback).parameters) == {"intermediate_result"}
    except (TypeError, ValueError):
        return False


def _fd_gradient(fun, x, f0):
    """Central differences, for ``jac=None`` (2n extra calls of ``fun``)."""
    g = np.empty_like(x)
    for i in range(x.size):
        h = np.cbrt(np.finfo(float).eps) * max(1.0, abs(x[i]))
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (float(fun(x + e)) - float(fun(x - e))) / (2 * h)
    return g


def minimize(
    fun,
    x0,
    args=(),
    method=None,
    jac=None,
    hess=None,
    hessp=None,
    bounds=None,
    constraints=(),
    tol=None,
    callback=None,
    options=None,
):
    """Minimizes ``fun`` from ``x0`` with one of the library's smooth methods.

    Parameters follow :func:`scipy.optimize.minimize`:

    * ``fun(x, *args) -> float``, or ``(float, ndarray)`` when ``jac=True``;
    * ``jac``: ``True``, a callable ``jac(x, *args)``, or ``None`` (central differences, 2n
      extra calls per gradient);
    * ``hessp(x, p, *args)`` or ``hess(x, *args)`` (``hess`` wins); without either, methods that
      use curvature take central differences of gradients;
    * ``method``: one of :func:`methods` (``"lbfgs"`` by default): ``newton-cg``,
      ``trust-region``, ``newton``, ``lbfgs``, ``newton-path``, ``bfgs``, ``gd``, ``agd``,
      ``ncg``, ``arc``, ``newton-nc``, ``rbfgs``;
    * ``tol``: stop when ‖∇f(x)‖₂ ≤ tol (default 1e-5); ``options``: ``gtol`` (same),
      ``maxiter`` (default 1000), ``relative`` (test ‖∇f(x)‖ ≤ tol·‖∇f(x₀)‖ instead),
      ``max_seconds``;
    * ``callback(xk)`` or ``callback(intermediate_result)`` (scipy's two styles), called once
      per iteration; raising ``StopIteration`` ends the run with ``status`` 99.

    Bounds and constraints are not supported (a ``ValueError`` when given).

    Returns a :class:`scipy.optimize.OptimizeResult` with ``x, fun, jac, nit, nfev, njev, nhev,
    status, success, message``. ``status``: 0 converged, 1 iteration or time limit, 2 no further
    decrease possible, 3 a non-finite value, 99 stopped by the callback. An exception raised in
    ``fun``, ``jac``, ``hess``, ``hessp`` or ``callback`` stops the run and propagates.
    """
    options = dict(options or {})
    if bounds is not None or (constraints is not None and len(constraints) > 0):
        raise ValueError("optml.minimize solves unconstrained problems: bounds and constraints are not supported")
    method = _DEFAULT_METHOD if method is None else str(method).lower()
    if not isinstance(args, tuple):
        args = (args,)
    x0 = np.asarray(x0, dtype=np.float64).ravel()
    shape_x0 = np.shape(x0)

    if jac is True:
        def fg(x):
            f, g = fun(x, *args)
            return float(f), np.asarray(g, dtype=np.float64).ravel()
    elif callable(jac):
        def fg(x):
            return float(fun(x, *args)), np.asarray(jac(x, *args), dtype=np.float64).ravel()
    elif jac is None or jac is False:
        def fg(x):
            f = float(fun(x, *args))
            return f, _fd_gradient(lambda z: fun(z, *args), x, f)
    else:
        raise ValueError(f"jac must be True, a callable or None, got {jac!r}")

    hess_cb = None if hess is None else (lambda x: np.asarray(hess(x, *args), dtype=np.float64))
    hessp_cb = None if hessp is None else (lambda x, p: np.asarray(hessp(x, p, *args), dtype=np.float64).ravel())

    stopped = []
    cb = None
    if callback is not None:
        new_style = _wants_intermediate_result(callback)

        def cb(xk, fk):
            try:
                if new_style:
                    callback(intermediate_result=_result(x=xk, fun=fk))
                else:
                    callback(xk)
            except StopIteration:
                stopped.append(True)
                return False
            return True

    tol = options.pop("gtol", 1e-5 if tol is None else tol)
    out = _core.minimize(
        fg,
        x0,
        method,
        hessp=hessp_cb,
        hess=hess_cb,
        callback=cb,
        tol=float(tol),
        relative=bool(options.pop("relative", False)),
        max_iter=int(options.pop("maxiter", 1000)),
        max_seconds=float(options.pop("max_seconds", float("inf"))),
    )
    message = out["message"]
    if stopped:
        message = "`callback` raised `StopIteration`."
    return _result(
        x=out["x"].reshape(shape_x0),
        fun=out["fun"],
        jac=out["jac"],
        nit=out["nit"],
        nfev=out["nfev"],
        njev=out["nfev"],
        nhev=out["nhev"],
        status=out["status"],
        success=out["success"],
        message=message,
        method=out["solver"],
    )


def scipy_method(name: str):
    """A callable for ``scipy.optimize.minimize(fun, x0, method=scipy_method("arc"))``.

    scipy calls it as ``method(fun, x0, args=..., jac=..., hess=..., hessp=..., bounds=...,
    constraints=..., callback=..., **options)`` with ``tol`` among the options; unknown options
    are ignored, as scipy requires of a custom method.
    """
    if name not in _core.methods():
        raise ValueError(f"unknown method '{name}' (expected one of: {', '.join(_core.methods())})")

    def method(fun, x0, args=(), jac=None, hess=None, hessp=None, bounds=None, constraints=(), callback=None, **options):
        known = {k: options[k] for k in ("gtol", "maxiter", "relative", "max_seconds") if k in options}
        return minimize(
            fun,
            x0,
            args=args,
            method=name,
            jac=jac,
            hess=hess,
            hessp=hessp,
            bounds=bounds,
            constraints=constraints,
            tol=options.get("tol"),
            callback=callback,
            options=known,
        )

    method.__name__ = f"optml_{name.replace('-', '_')}"
    method.__doc__ = f"optml's {name} as a scipy.optimize.minimize method."
    return method
