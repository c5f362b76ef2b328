//! Fitting GLMs with non-smooth regularizers: min Σᵢ sᵢ·ℓᵢ (+ ‖W‖²/2C) + h(W) with h the
//! lasso, the elastic net or the group lasso, by proximal Newton, FISTA or proximal gradient.

use std::path::Path;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::fit::Choice;
use crate::models::glm::{Glm, GlmModel, GlmSpec, MODEL_FORMAT_VERSION};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::prox::{ElasticNet, GroupLasso, Regularizer};
use crate::solvers::{Fista, ProximalGradient, ProximalNewton, Report, Stop};

/// The solvers for composite problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompositeMethod {
    /// Proximal Newton with coordinate descent and subspace Newton steps (the default).
    ProxNewton,
    /// FISTA with backtracking and adaptive restart.
    Fista,
    /// Proximal gradient with backtracking.
    ProxGrad,
}

impl CompositeMethod {
    pub const ALL: [CompositeMethod; 3] = [
        CompositeMethod::ProxNewton,
        CompositeMethod::Fista,
        CompositeMethod::ProxGrad,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CompositeMethod::ProxNewton => "prox-newton",
            CompositeMethod::Fista => "fista",
            CompositeMethod::ProxGrad => "prox-grad",
        }
    }

    /// Parses a name; `None` for any other.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == s)
    }
}

impl std::fmt::Display for CompositeMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The non-smooth part h on the weights W (never on the intercepts):
/// λ(α‖W‖₁ + (1−α)/2‖W‖²), or with `groups` λ·Σ_g √|g|·‖W_g‖₂, a group holding a feature's
/// weights for every class.
#[derive(Clone, Debug, PartialEq)]
pub struct Penalty {
    pub lambda: f64,
    /// Elastic-net mix α ∈ (0, 1]; 1 is the lasso. Ignored with groups.
    pub alpha: f64,
    /// Groups of 0-based feature indices, disjoint; features in no group are unpenalized.
    pub groups: Option<Vec<Vec<usize>>>,
}

impl Penalty {
    /// λ‖W‖₁.
    pub fn l1(lambda: f64) -> Self {
        Penalty {
            lambda,
            alpha: 1.0,
            groups: None,
        }
    }

    /// A one-line description, e.g. "l1 0.5" or "group-lasso 0.5 (12 groups)".
    pub fn describe(&self) -> String {
        match &self.groups {
            Some(g) => format!("group-lasso λ={} ({} groups)", self.lambda, g.len()),
            None if self.alpha == 1.0 => format!("l1 λ={}", self.lambda),
            None => format!("elastic-net λ={} α={}", self.lambda, self.alpha),
        }
    }
}

/// Fits `spec` + `penalty` on `data` from w = 0. `spec.c = ∞` drops the ridge term, so that f
/// is the data loss alone (the model file then records C = f64::MAX).
pub fn fit_glm_composite<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &GlmSpec,
    penalty: &Penalty,
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> Result<(GlmModel, Report)> {
    let method = match choice {
        Choice::Auto => CompositeMethod::ProxNewton,
        Choice::Composite(m) => m,
        Choice::Use(m) => {
            return Err(Error::invalid(format!(
                "solver {m} does not handle a non-smooth regularizer (use prox-newton, fista or prox-grad)"
            )))
        }
    };
    let no_ridge = spec.c == f64::INFINITY;
    let mut checked = spec.clone();
    if no_ridge {
        checked.c = 1.0;
    }
    let (f, classes) = checked.objective(data)?;
    let f = if no_ridge {
        let targets = classes.encode(&data.y, spec.loss)?;
        Glm::new(
            &data.x,
            spec.loss,
            targets,
            f.layout().k,
            f64::INFINITY,
            spec.intercept,
            spec.sample_weight.clone(),
        )
    } else {
        f
    };
    let layout = f.layout();
    let kd = layout.k * layout.d;
    let mut w = vec![0.0; f.dim()];
    let report = match &penalty.groups {
        None => {
            let h = ElasticNet::new(penalty.lambda, penalty.alpha, kd, f.dim())?;
            solve(method, stop, &f, &h, &mut w, monitor)?
        }
        Some(groups) => {
            let mut params = Vec::with_capacity(groups.len());
            for (gi, g) in groups.iter().enumerate() {
                if let Some(&j) = g.iter().find(|&&j| j >= layout.d) {
                    return Err(Error::invalid(format!(
                        "group {gi} holds feature {j}, but the data has {} features",
                        layout.d
                    )));
                }
                params.push(
                    (0..layout.k)
                        .flat_map(|c| g.iter().map(move |&j| c * layout.d + j))
                        .collect(),
                );
            }
            let h = GroupLasso::new(penalty.lambda, params, f.dim())?;
            solve(method, stop, &f, &h, &mut w, monitor)?
        }
    };
    if w.iter().any(|v| !v.is_finite()) || !report.f.is_finite() {
        return Err(Error::NonFinite(format!(
            "{method} produced a non-finite model on {} ({})",
            data.name(),
            report.status
        )));
    }
    let model = GlmModel {
        format_version: MODEL_FORMAT_VERSION,
        loss: spec.loss,
        c: if no_ridge { f64::MAX } else { spec.c },
        intercept: spec.intercept,
        n_features: data.n_features(),
        classes: classes.0,
        weights: w,
    };
    Ok((model, report))
}

fn solve<R: Regularizer, M: Monitor + ?Sized>(
    method: CompositeMethod,
    stop: Stop,
    f: &Glm<'_>,
    h: &R,
    w: &mut [f64],
    monitor: &mut M,
) -> Result<Report> {
    match method {
        CompositeMethod::ProxNewton => ProximalNewton {
            stop,
            ..Default::default()
        }
        .minimize_coordinatewise(f, h, w, monitor),
        CompositeMethod::Fista => Fista {
            stop,
            ..Default::default()
        }
        .minimize(f, h, w, monitor),
        CompositeMethod::ProxGrad => ProximalGradient {
            stop,
            ..Default::default()
        }
        .minimize(f, h, w, monitor),
    }
}

/// Reads a groups file: one line per feature, in feature order, holding that feature's group
/// label, a non-negative integer; label 0 leaves the feature unpenalized. Lines that are blank
/// or start with `#` are skipped. Errors name the file and line.
pub fn read_groups(path: &Path, n_features: usize) -> Result<Vec<Vec<usize>>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_groups(&text, path, n_features)
}

/// [`read_groups`] on text already read.
pub fn parse_groups(text: &str, path: &Path, n_features: usize) -> Result<Vec<Vec<usize>>> {
    let mut labels: Vec<(u64, usize)> = Vec::new();
    let mut feature = 0usize;
    let mut last_line = 0;
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        last_line = no + 1;
        if feature >= n_features {
            return Err(Error::parse(
                path,
                no + 1,
                format!("more group labels than the data's {n_features} features"),
            ));
        }
        let label: u64 = t.parse().map_err(|_| {
            Error::parse(
                path,
                no + 1,
                format!("expected a non-negative integer group label, found '{t}'"),
            )
        })?;
        if label > 0 {
            labels.push((label, feature));
        }
        feature += 1;
    }
    if feature != n_features {
        return Err(Error::parse(
            path,
            last_line,
            format!("{feature} group labels for {n_features} features (one line per feature)"),
        ));
    }
    labels.sort_unstable();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current = None;
    for (label, j) in labels {
        if current != Some(label) {
            groups.push(Vec::new());
            current = Some(label);
        }
        groups.last_mut().expect("pushed above").push(j);
    }
    Ok(groups)
}
