//! Every public solver, model, data and result type can move to another thread and be shared
//! between threads (`Send + Sync`): what a Python binding or a thread pool over runs needs. A type
//! that stops being either fails this test at compile time.

use faer::c64;
use optml::curvature::{
    Analysis, DenseSpectrum, Eigenpairs, ExactSpectrum, Lanczos, PowerIteration, PowerReport,
    RidgeReport, RidgeRider, Slq, SpectralDensity, Spectrum, TraceEstimate,
};
use optml::data::Dataset;
use optml::fit::{Choice, CompositeMethod};
use optml::linalg::randomized::{RandomizedSvd, TruncatedSvd};
use optml::linalg::{CsrMatrix, DenseMatrix, Design};
use optml::models::glm::{
    Columns, Glm, GlmColumnModel, GlmHessian, GlmModel, GlmSpec, Loss, Metrics, Penalty, Ridge,
};
use optml::models::mlp::{
    Activation, Mlp, MlpHessian, MlpLoss, MlpModel, MlpSpec, WithGaussNewton,
};
use optml::models::testfns::{Mgh, MghProblem};
use optml::monitor::{Deadline, IterInfo, Trace};
use optml::nonconvex::completion::{AltMin, FactoredGd, Observed, SoftImpute};
use optml::nonconvex::cp::{CpAls, CpModel, CpReport, Tensor3, TensorPower};
use optml::nonconvex::dictionary::{DictionaryReport, Ksvd};
use optml::nonconvex::phase_retrieval::{TruncatedWirtingerFlow, WirtingerFlow};
use optml::nonconvex::pspin::PSpin;
use optml::nonconvex::robust_pca::{AltProj, Pcp, RpcaGd};
use optml::nonconvex::sensing::ProcrustesFlow;
use optml::nonconvex::{completion, phase_retrieval, robust_pca, sensing, Factors};
use optml::objective::WithFiniteDiffHessian;
use optml::solvers::least_squares::{
    GaussNewton, LevenbergMarquardt, SketchedGaussNewton, SumOfSquares,
};
use optml::solvers::{
    AdaptiveCubic, Bfgs, Fista, GradientDescent, InverseEstimate, Lbfgs, Method,
    NegativeCurvatureNewton, Nesterov, Newton, NewtonCg, NewtonPath, NonlinearCg, PerturbedGd,
    ProximalGradient, ProximalNewton, Rbfgs, Report, Status, Stop, SubsampledNewton, TrustRegion,
};
use optml::Error;

fn send_sync<T: Send + Sync>() {}

fn send<T: Send>() {}

#[test]
fn solvers_and_their_results_are_send_and_sync() {
    send_sync::<NewtonCg>();
    send_sync::<TrustRegion>();
    send_sync::<Newton>();
    send_sync::<NewtonPath>();
    send_sync::<SubsampledNewton>();
    send_sync::<Lbfgs>();
    send_sync::<Bfgs>();
    send_sync::<Rbfgs>();
    send_sync::<GradientDescent>();
    send_sync::<Nesterov>();
    send_sync::<NonlinearCg>();
    send_sync::<AdaptiveCubic>();
    send_sync::<NegativeCurvatureNewton>();
    send_sync::<PerturbedGd>();
    send_sync::<ProximalGradient>();
    send_sync::<Fista>();
    send_sync::<ProximalNewton>();
    send_sync::<GaussNewton>();
    send_sync::<LevenbergMarquardt>();
    send_sync::<SketchedGaussNewton>();
    send_sync::<Method>();
    send_sync::<Choice>();
    send_sync::<CompositeMethod>();
    send_sync::<Stop>();
    send_sync::<Report>();
    send_sync::<Status>();
    send_sync::<InverseEstimate>();
    send_sync::<Error>();
    send_sync::<IterInfo>();
    send_sync::<Trace>();
    send_sync::<Deadline>();
}

#[test]
fn models_and_data_are_send_and_sync() {
    send_sync::<Dataset>();
    send_sync::<CsrMatrix>();
    send_sync::<DenseMatrix>();
    send_sync::<Design>();
    send_sync::<Glm<'static>>();
    send_sync::<GlmHessian<'static, 'static>>();
    send_sync::<GlmSpec>();
    send_sync::<GlmModel>();
    send_sync::<Loss>();
    send_sync::<Ridge>();
    send_sync::<Penalty>();
    send_sync::<Mlp>();
    send_sync::<MlpHessian<'static>>();
    send_sync::<WithGaussNewton<'static>>();
    send_sync::<MlpSpec>();
    send_sync::<MlpModel>();
    send_sync::<Activation>();
    send_sync::<Mgh>();
    send_sync::<MghProblem>();
    send_sync::<PSpin>();
    send_sync::<MlpLoss>();
    send_sync::<Metrics>();
    send_sync::<Columns>();
    // A per-solve scratch model (it caches in a Cell): it moves between threads, no more.
    send::<GlmColumnModel<'static>>();
    send_sync::<SumOfSquares<'static, Mgh>>();
    send_sync::<WithFiniteDiffHessian<Mgh>>();
}

#[test]
fn spectral_tools_and_recovery_methods_are_send_and_sync() {
    send_sync::<Lanczos>();
    send_sync::<Eigenpairs>();
    send_sync::<PowerIteration>();
    send_sync::<Slq>();
    send_sync::<SpectralDensity>();
    send_sync::<TraceEstimate>();
    send_sync::<DenseSpectrum>();
    send_sync::<Analysis>();
    send_sync::<Spectrum>();
    send_sync::<RidgeRider>();
    send_sync::<RandomizedSvd>();
    send_sync::<TruncatedSvd>();
    send_sync::<AltMin>();
    send_sync::<FactoredGd>();
    send_sync::<SoftImpute>();
    send_sync::<Observed>();
    send_sync::<RpcaGd>();
    send_sync::<AltProj>();
    send_sync::<Pcp>();
    send_sync::<WirtingerFlow>();
    send_sync::<TruncatedWirtingerFlow>();
    send_sync::<ProcrustesFlow>();
    send_sync::<CpAls>();
    send_sync::<CpModel>();
    send_sync::<Tensor3>();
    send_sync::<TensorPower>();
    send_sync::<Ksvd>();
    send_sync::<CpReport>();
    send_sync::<DictionaryReport>();
    send_sync::<RidgeReport>();
    send_sync::<PowerReport>();
    send_sync::<ExactSpectrum>();
    send_sync::<Factors>();
    send_sync::<completion::Planted>();
    send_sync::<sensing::Measurements>();
    send_sync::<sensing::Planted>();
    send_sync::<robust_pca::Planted>();
    send_sync::<phase_retrieval::Measurements<f64>>();
    send_sync::<phase_retrieval::Measurements<c64>>();
    send_sync::<phase_retrieval::Planted<c64>>();
}
