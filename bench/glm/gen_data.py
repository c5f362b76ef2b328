"""Deterministic synthetic data for the GLM benchmark (fixed seeds, numpy only).

Writes, under bench/glm/data/ (or data/quick/ with --quick: every n divided by 10):

  rcv1like.svm              sparse binary, LIBSVM format: n = 100000, d = 50000, ~75 stored
                            values per row, Zipf-like feature frequencies, positive tf-idf-like
                            values, rows L2-normalized (like rcv1); labels ±1 from a planted sparse
                            w (500 nonzeros) with 5% of the labels flipped.
  dense_illcond.npy         dense binary, float64 C order: n = 50000, d = 500, column scales
  dense_illcond_labels.npy  decaying geometrically from 1 to 1e-3, so cond(XᵀX) ≈ 1e6; labels ±1
                            drawn from a planted logistic model.
  multiclass.npy            dense, n = 20000, d = 200, K = 20 classes; labels 0..19 drawn from a
  multiclass_labels.npy     planted softmax model.

Files that already exist with the same parameters (recorded in a small .json beside each) are
kept, so a second run is instant.

    python bench/glm/gen_data.py [--quick] [--force]
"""

import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def data_dir(quick):
    return os.path.join(HERE, "data", "quick" if quick else "")


# ---------------------------------------------------------------------------------------------
# rcv1-like sparse text data
# ---------------------------------------------------------------------------------------------

def make_rcv1like(n, d, nnz_per_row=75, n_planted=500, flip=0.05, seed=1):
    """Returns (indptr, indices, values, y) of an rcv1-like CSR matrix (0-based, sorted rows)."""
    rng = np.random.default_rng(seed)
    # Zipf-like feature popularity: p_j ∝ 1/(j + 20)^1.1, with features in a random order so
    # that frequent features are not all at low indices.
    ranks = np.arange(d, dtype=np.float64)
    popularity = 1.0 / (ranks + 20.0) ** 1.1
    popularity /= popularity.sum()
    perm = rng.permutation(d)  # feature id of the rank-r feature
    # Row lengths: lognormal around the target mean, at least 3.
    lengths = np.maximum(3, rng.lognormal(np.log(nnz_per_row) - 0.125, 0.5, n).astype(np.int64))
    # Draw with replacement (slightly more than needed), then drop repeats within a row: the
    # repeats are the "term counts" that feed the tf part of tf-idf.
    draws = (lengths * 1.15).astype(np.int64) + 2
    rows = np.repeat(np.arange(n, dtype=np.int64), draws)
    cols = perm[rng.choice(d, size=rows.size, p=popularity)]
    keys = rows * d + cols
    keys, counts = np.unique(keys, return_counts=True)  # sorted by row, then column
    rows, cols = keys // d, keys % d
    # Keep at most lengths[i] distinct terms per row (the first ones in column order: random
    # enough, since column ids are a random permutation of popularity ranks).
    starts = np.searchsorted(rows, np.arange(n))
    pos = np.arange(rows.size) - starts[rows]
    keep = pos < lengths[rows]
    rows, cols, counts = rows[keep], cols[keep], counts[keep]
    # tf-idf: (1 + log count) · log(n / df), df from the realized document frequencies,
    # times a little lognormal jitter (term counts in real text vary more than here).
    df = np.bincount(cols, minlength=d).astype(np.float64)
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    values = (1.0 + np.log(counts)) * idf[cols] * rng.lognormal(0.0, 0.3, cols.size)
    # L2-normalize each row.
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
    values /= norms[rows]
    # Round to the 6 significant digits the file holds, so that the planted labels are computed
    # from exactly the data every solver reads.
    values = _round_sig(values, 6)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])

    # Planted sparse w: 500 nonzeros among the 5000 most frequent features (rare features would
    # leave most rows without any planted feature), mixed signs.
    support = perm[rng.choice(5000, size=n_planted, replace=False)]
    w_true = np.zeros(d)
    w_true[support] = rng.standard_normal(n_planted)
    scores = np.bincount(rows, weights=values * w_true[cols], minlength=n)
    scores -= np.median(scores)  # balanced classes (the model has no intercept: that is
    # part of the problem, as in rcv1, where a linear model without bias does fine)
    y = np.where(scores > 0, 1.0, -1.0)
    y[scores == 0] = rng.choice([-1.0, 1.0], size=int((scores == 0).sum()))
    flips = rng.random(n) < flip
    y[flips] = -y[flips]
    return indptr, cols.astype(np.int64), values, y


def make_rcv1zipf(n, d, nnz_per_row=75, planted_frac=0.05, planted_on="all", flip=0.05,
                   normalize=True, seed=11):
    """A second rcv1-like set, built differently from make_rcv1like: feature popularity Zipf(1.0),
    p_j ∝ 1/(rank + 1); tf-idf as log(1 + tf)·idf; rows L2-normalized when `normalize`; labels
    from a planted w on `planted_frac` of *all* features (planted_on="all", so rare features
    matter) or of the most frequent ones ("frequent"), with a fraction `flip` of the labels
    flipped. Returns (indptr, indices, values, y) of a CSR matrix (0-based, sorted rows)."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(d, dtype=np.float64)
    popularity = 1.0 / (ranks + 1.0)
    popularity /= popularity.sum()
    perm = rng.permutation(d)  # feature id of the rank-r feature
    lengths = np.maximum(3, rng.lognormal(np.log(nnz_per_row) - 0.125, 0.5, n).astype(np.int64))
    # Draws with replacement; repeats within a row are the term counts tf.
    draws = (lengths * 1.6).astype(np.int64) + 2
    rows = np.repeat(np.arange(n, dtype=np.int64), draws)
    cols = perm[rng.choice(d, size=rows.size, p=popularity)]
    keys, counts = np.unique(rows * d + cols, return_counts=True)
    rows, cols = keys // d, keys % d
    # At most lengths[i] distinct terms per row, kept in a random order (not by column).
    order = np.lexsort((rng.random(rows.size), rows))
    rows, cols, counts = rows[order], cols[order], counts[order]
    starts = np.searchsorted(rows, np.arange(n))
    keep = (np.arange(rows.size) - starts[rows]) < lengths[rows]
    rows, cols, counts = rows[keep], cols[keep], counts[keep]
    order = np.lexsort((cols, rows))
    rows, cols, counts = rows[order], cols[order], counts[order]
    df = np.bincount(cols, minlength=d).astype(np.float64)
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    values = np.log1p(counts) * idf[cols]
    if normalize:
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
        values /= norms[rows]
    values = _round_sig(values, 6)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    k = max(1, int(round(planted_frac * d)))
    pool = d if planted_on == "all" else max(k, d // 10)
    support = perm[rng.choice(pool, size=k, replace=False)]
    w_true = np.zeros(d)
    w_true[support] = rng.standard_normal(k)
    scores = np.bincount(rows, weights=values * w_true[cols], minlength=n)
    scores -= np.median(scores)
    y = np.where(scores > 0, 1.0, -1.0)
    y[scores == 0] = rng.choice([-1.0, 1.0], size=int((scores == 0).sum()))
    flips = rng.random(n) < flip
    y[flips] = -y[flips]
    return indptr, cols.astype(np.int64), values, y


def rcv1zipf_file(out, n, d, flip, normalize, planted_on="all", log=print):
    """Writes (once per parameter set) a make_rcv1zipf set in LIBSVM format under `out`;
    returns its path."""
    tag = f"rcv1zipf_n{n}_d{d}_f{flip:g}_{'l2' if normalize else 'raw'}_{planted_on}"
    path = os.path.join(out, tag + ".svm")
    params = {"n": n, "d": d, "flip": flip, "normalize": normalize, "planted_on": planted_on,
              "seed": 11, "v": 1}
    if not _up_to_date(path + ".json", params, [path]):
        os.makedirs(out, exist_ok=True)
        indptr, indices, values, y = make_rcv1zipf(n, d, flip=flip, normalize=normalize,
                                                   planted_on=planted_on)
        write_libsvm(path, indptr, indices, values, y)
        _mark(path + ".json", params)
        log(f"  wrote {path}: {n} x {d}, {len(values)} nonzeros, "
            f"+1 fraction {np.mean(y > 0):.3f}")
    return path


def _round_sig(v, digits):
    """Rounds positive values to `digits` significant digits, as '%.{digits}g' prints them."""
    exp = np.floor(np.log10(v))
    scale = 10.0 ** (digits - 1 - exp)
    return np.round(v * scale) / scale


def write_libsvm(path, indptr, indices, values, y):
    """Writes CSR data in LIBSVM format (1-based feature ids), one '%'-format call per row."""
    tmp = path + ".tmp"
    # Pre-format every entry with numpy's vectorized string ops would cost ~7.5M Python objects
    # either way; one printf-style call per row over an interleaved (id, value) tuple is simplest
    # and runs at ~1 µs per entry.
    ids = (indices + 1).tolist()
    vals = values.tolist()
    labels = ["+1" if v > 0 else "-1" for v in y]
    fmts = {}
    with open(tmp, "w", buffering=1 << 22) as f:
        out = []
        for i in range(len(y)):
            a, b = int(indptr[i]), int(indptr[i + 1])
            k = b - a
            fmt = fmts.get(k)
            if fmt is None:
                fmt = fmts[k] = " %d:%.6g" * k + "\n"
            inter = [None] * (2 * k)
            inter[0::2] = ids[a:b]
            inter[1::2] = vals[a:b]
            out.append(labels[i] + fmt % tuple(inter))
            if len(out) == 4096:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# dense ill-conditioned binary data
# ---------------------------------------------------------------------------------------------

def make_dense_illcond(n, d, cond=1e6, seed=2):
    """X with column scales 1 … 1/√cond (geometric) so cond(XᵀX) ≈ cond; logistic labels ±1."""
    rng = np.random.default_rng(seed)
    scales = np.sqrt(cond) ** (-np.arange(d) / (d - 1.0))
    x = rng.standard_normal((n, d))
    x *= scales
    # Planted w: every feature carries comparable signal (so the small-scale directions matter),
    # scores scaled to standard deviation 3, labels drawn from the logistic model.
    w_true = rng.standard_normal(d) / scales
    s = x @ w_true
    s *= 3.0 / s.std()
    p = 1.0 / (1.0 + np.exp(-s))
    y = np.where(rng.random(n) < p, 1.0, -1.0)
    return np.ascontiguousarray(x), y


# ---------------------------------------------------------------------------------------------
# dense multiclass data
# ---------------------------------------------------------------------------------------------

def make_multiclass(n, d, k, seed=3):
    """Gaussian X, labels 0..k-1 sampled from a planted softmax model."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    w_true = rng.standard_normal((k, d))
    z = x @ w_true.T
    z *= 2.0 / z.std()
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random((n, 1))
    y = (p.cumsum(axis=1) < u).sum(axis=1).clip(0, k - 1).astype(np.float64)
    return np.ascontiguousarray(x), y


# ---------------------------------------------------------------------------------------------

def _up_to_date(meta_path, params, files):
    if not all(os.path.exists(f) for f in files) or not os.path.exists(meta_path):
        return False
    with open(meta_path) as f:
        return json.load(f) == params


def _mark(meta_path, params):
    with open(meta_path, "w") as f:
        json.dump(params, f)


def generate(quick=False, force=False, log=print):
    """Makes the three data sets (if missing) and returns a dict name -> file paths and sizes."""
    out = data_dir(quick)
    os.makedirs(out, exist_ok=True)
    div = 10 if quick else 1
    sets = {}

    # rcv1-like ------------------------------------------------------------------------------
    n, d = 100_000 // div, 50_000 // (5 if quick else 1)
    path = os.path.join(out, "rcv1like.svm")
    params = {"n": n, "d": d, "nnz": 75, "planted": 500, "flip": 0.05, "seed": 1, "v": 1}
    if force or not _up_to_date(path + ".json", params, [path]):
        t = time.perf_counter()
        indptr, indices, values, y = make_rcv1like(n, d)
        t1 = time.perf_counter()
        write_libsvm(path, indptr, indices, values, y)
        _mark(path + ".json", params)
        log(f"  wrote {path}: {n} x {d}, {len(values)} nonzeros ({len(values) / n:.1f}/row), "
            f"{os.path.getsize(path) / 1e6:.0f} MB, +1 fraction {np.mean(y > 0):.3f} "
            f"(generate {t1 - t:.1f} s, write {time.perf_counter() - t1:.1f} s)")
    sets["rcv1like"] = {"x": path, "y": None, "n": n, "d": d}

    # dense ill-conditioned --------------------------------------------------------------------
    n, d = 50_000 // div, 500
    xp, yp = os.path.join(out, "dense_illcond.npy"), os.path.join(out, "dense_illcond_labels.npy")
    params = {"n": n, "d": d, "cond": 1e6, "seed": 2, "v": 1}
    if force or not _up_to_date(xp + ".json", params, [xp, yp]):
        x, y = make_dense_illcond(n, d)
        np.save(xp, x)
        np.save(yp, y)
        _mark(xp + ".json", params)
        sv = np.linalg.svd(x, compute_uv=False)
        log(f"  wrote {xp}: {n} x {d}, cond(XᵀX) = {(sv[0] / sv[-1]) ** 2:.2e}, "
            f"+1 fraction {np.mean(y > 0):.3f}")
    sets["dense_illcond"] = {"x": xp, "y": yp, "n": n, "d": d}

    # multiclass -------------------------------------------------------------------------------
    n, d, k = 20_000 // div, 200, 20
    xp, yp = os.path.join(out, "multiclass.npy"), os.path.join(out, "multiclass_labels.npy")
    params = {"n": n, "d": d, "k": k, "seed": 3, "v": 1}
    if force or not _up_to_date(xp + ".json", params, [xp, yp]):
        x, y = make_multiclass(n, d, k)
        np.save(xp, x)
        np.save(yp, y)
        _mark(xp + ".json", params)
        log(f"  wrote {xp}: {n} x {d}, {k} classes, "
            f"class counts {np.bincount(y.astype(int), minlength=k).min()}…"
            f"{np.bincount(y.astype(int), minlength=k).max()}")
    sets["multiclass"] = {"x": xp, "y": yp, "n": n, "d": d, "k": k}
    return sets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="n/10 data under data/quick/")
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    a = ap.parse_args()
    t = time.perf_counter()
    generate(a.quick, a.force)
    print(f"data ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
