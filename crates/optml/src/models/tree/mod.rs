//! Multiclass models for many classes: the LOMtree (Choromanska & Langford 2015), an online
//! tree whose prediction costs one dot product per level, and one-against-all with the same
//! node learner as the baseline.
//!
//! [`TreeModel`] is the trained model (versioned JSON, validated on load);
//! [`fit_tree`](crate::fit::fit_tree) trains one. The node learner is an online linear
//! regressor with per-feature adaptive, normalized, importance-invariant steps on a clipped
//! squared loss (Ross, Mineiro & Langford 2013; Karampatziakis & Langford 2011). A tree's
//! leaves can be refined: per-class regressors rank the few classes a leaf holds (one against
//! some), at depth + that many dot products per prediction.

mod learner;
mod leaves;
mod model;
mod oaa;
mod regressor;
mod rows;

pub use model::{Predictor, Prepared, TreeModel, TreeNode, TreeStats, TREE_FORMAT_VERSION};
pub use rows::{classes_of, row, FeatureMap, Row};

pub(crate) use learner::{Learner, LearnerOptions};
pub(crate) use leaves::label_leaves;
pub(crate) use oaa::OaaLearner;
pub(crate) use rows::class_indices;
