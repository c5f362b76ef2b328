//! The GLM Hessian X̃ᵀ·D·X̃ + λ·I one coordinate at a time, as proximal Newton's coordinate
//! descent reads it: a single-score GLM holds its per-sample curvature D and r = X̃·d, so that
//! a coordinate costs one column of X, (H·d)_j = x̃_jᵀ·D·r + λ·d_j (Yuan, Ho & Lin 2012,
//! newGLMNET); softmax uses the dense model.

use super::Glm;
use crate::linalg::{Design, Layout};
use crate::objective::{Curvature, Objective};
use crate::solvers::{CoordinateCurvature, CoordinateModel, DenseModel};

/// The columns of X̃ = [X, 1] (the ones column when the layout has an intercept), compressed.
pub struct Columns {
    indptr: Vec<usize>,
    rows: Vec<u32>,
    values: Vec<f64>,
    nnz_x: usize,
}

impl Columns {
    /// Transposes X once (O(nnz)).
    pub fn new(x: &Design, layout: Layout) -> Self {
        let (n, d) = (x.nrows(), x.ncols());
        let cols = d + usize::from(layout.intercept);
        let mut count = vec![0usize; cols + 1];
        let mut entries: Vec<(u32, u32, f64)> = Vec::with_capacity(x.nnz() + n);
        match x {
            Design::Sparse(m) => {
                for i in 0..n {
                    let (idx, val) = m.row(i);
                    for (&j, &v) in idx.iter().zip(val) {
                        if v != 0.0 {
                            entries.push((j, i as u32, v));
                        }
                    }
                }
            }
            Design::Dense(m) => {
                for i in 0..n {
                    for (j, &v) in m.row(i).iter().enumerate() {
                        if v != 0.0 {
                            entries.push((j as u32, i as u32, v));
                        }
                    }
                }
            }
        }
        if layout.intercept {
            entries.extend((0..n).map(|i| (d as u32, i as u32, 1.0)));
        }
        for &(j, _, _) in &entries {
            count[j as usize + 1] += 1;
        }
        for j in 0..cols {
            count[j + 1] += count[j];
        }
        let mut next = count.clone();
        let mut rows = vec![0u32; entries.len()];
        let mut values = vec![0.0; entries.len()];
        for (j, i, v) in entries {
            let p = next[j as usize];
            rows[p] = i;
            values[p] = v;
            next[j as usize] += 1;
        }
        Columns {
            indptr: count,
            rows,
            values,
            nnz_x: x.nnz().max(1),
        }
    }

    fn col(&self, j: usize) -> (&[u32], &[f64]) {
        let r = self.indptr[j]..self.indptr[j + 1];
        (&self.rows[r.clone()], &self.values[r])
    }
}

/// X̃ᵀ·D·X̃ + λ·I (λ on W only) for a single-score GLM, one column at a time.
pub struct GlmColumnModel<'c> {
    cols: &'c Columns,
    weights: Vec<f64>,
    diag: Vec<f64>,
    r: Vec<f64>,
    d: Vec<f64>,
    lambda: f64,
    /// Coordinates below this carry the ridge λ (W, not the intercept).
    penalized: usize,
    work: std::cell::Cell<f64>,
}

impl<'c> GlmColumnModel<'c> {
    /// The model at `w`; `glm` must have one score per sample.
    pub fn new(glm: &Glm<'_>, cols: &'c Columns, w: &[f64]) -> Self {
        let weights = glm.curvature(w);
        let layout = glm.layout();
        let lambda = glm.l2_strength();
        let dim = layout.dim();
        let diag: Vec<f64> = (0..dim)
            .map(|j| {
                let (rows, vals) = cols.col(j);
                let s: f64 = rows
                    .iter()
                    .zip(vals)
                    .map(|(&i, v)| weights[i as usize] * v * v)
                    .sum();
                s + if j < layout.d { lambda } else { 0.0 }
            })
            .collect();
        glm.count(1);
        GlmColumnModel {
            cols,
            r: vec![0.0; weights.len()],
            weights,
            diag,
            d: vec![0.0; dim],
            lambda,
            penalized: layout.d,
            work: Default::default(),
        }
    }
}

impl CoordinateModel for GlmColumnModel<'_> {
    fn diag(&self, j: usize) -> f64 {
        self.diag[j]
    }
    fn hd(&self, j: usize) -> f64 {
        let (rows, vals) = self.cols.col(j);
        let s: f64 = rows
            .iter()
            .zip(vals)
            .map(|(&i, v)| {
                let i = i as usize;
                v * self.weights[i] * self.r[i]
            })
            .sum();
        self.work.set(self.work.get() + rows.len() as f64);
        let ridge = if j < self.penalized { self.lambda } else { 0.0 };
        s + ridge * self.d[j]
    }
    fn add(&mut self, j: usize, delta: f64) {
        let (rows, vals) = self.cols.col(j);
        for (&i, v) in rows.iter().zip(vals) {
            self.r[i as usize] += delta * v;
        }
        self.d[j] += delta;
        self.work.set(self.work.get() + rows.len() as f64);
    }
    fn passes(&self) -> f64 {
        self.work.get() / self.cols.nnz_x as f64
    }
}

impl CoordinateCurvature for Glm<'_> {
    /// The columns of X̃ for a single-score loss; `None` for softmax.
    type Prepared = Option<Columns>;

    fn prepare_coordinates(&self) -> Option<Columns> {
        (self.layout().k == 1).then(|| Columns::new(self.design(), self.layout()))
    }

    fn coordinate_model<'a>(
        &'a self,
        prepared: &'a Option<Columns>,
        w: &[f64],
    ) -> (Box<dyn CoordinateModel + 'a>, usize) {
        match prepared {
            Some(cols) => (Box::new(GlmColumnModel::new(self, cols, w)), 1),
            None => (Box::new(DenseModel::new(&self.hessian(w))), self.dim()),
        }
    }
}
