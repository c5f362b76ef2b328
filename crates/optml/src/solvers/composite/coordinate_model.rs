//! The quadratic model ½dᵀHd seen one coordinate at a time, as coordinate descent needs it:
//! H_jj, (H·d)_j and the update d_j += δ.
//!
//! [`DenseModel`] holds H (any [`LinearOperator`], made dense) and H·d. An objective with
//! structure offers a cheaper model through [`CoordinateCurvature`]: a single-score GLM holds
//! its per-sample curvature D and r = X̃·d, so that a coordinate costs one column of X,
//! (H·d)_j = x̃_jᵀ·D·r + λ·d_j (Yuan, Ho & Lin 2012, newGLMNET).

use faer::Mat;

use crate::objective::{Curvature, LinearOperator};

/// ½dᵀHd one coordinate at a time, d starting at 0.
pub trait CoordinateModel {
    /// H_jj.
    fn diag(&self, j: usize) -> f64;
    /// (H·d)_j for the current d.
    fn hd(&self, j: usize) -> f64;
    /// d_j += δ.
    fn add(&mut self, j: usize, delta: f64);
    /// Passes over the data the model has cost so far (coordinate work, in units of nnz(X)).
    fn passes(&self) -> f64 {
        0.0
    }
}

/// H as a dense matrix.
pub struct DenseModel {
    h: Mat<f64>,
    hd: Vec<f64>,
}

impl DenseModel {
    pub fn new(h: &impl LinearOperator) -> Self {
        let h = h.to_dense();
        let n = h.nrows();
        DenseModel {
            h,
            hd: vec![0.0; n],
        }
    }
}

impl CoordinateModel for DenseModel {
    fn diag(&self, j: usize) -> f64 {
        self.h[(j, j)]
    }
    fn hd(&self, j: usize) -> f64 {
        self.hd[j]
    }
    fn add(&mut self, j: usize, delta: f64) {
        let col = self.h.col(j);
        for (o, &c) in self.hd.iter_mut().zip(col.iter()) {
            *o += delta * c;
        }
    }
}

/// An objective that offers coordinate models of its Hessian cheaper than the dense one, for
/// [`ProximalNewton::minimize_coordinatewise`](crate::solvers::ProximalNewton::minimize_coordinatewise).
pub trait CoordinateCurvature: Curvature {
    /// What every model of a run shares, built once per run (e.g. the columns of X).
    type Prepared;
    /// Builds what the models share.
    fn prepare_coordinates(&self) -> Self::Prepared;
    /// The model of ∇²f(w), and the Hessian-vector products it cost to build (n for a dense
    /// Hessian).
    fn coordinate_model<'a>(
        &'a self,
        prepared: &'a Self::Prepared,
        w: &[f64],
    ) -> (Box<dyn CoordinateModel + 'a>, usize);
}
