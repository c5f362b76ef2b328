//! Update rules: each keeps its own state and turns a (clipped) mini-batch gradient g into a
//! direction u per unit step size; the driver then moves x ← x − η_t·u (optax's shape:
//! `init` state, `update(g) → step`). Conventions follow `torch.optim` where it has the method,
//! optax's for NovoGrad.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::linalg::{dot, norm};

/// One optimizer's state: `direction` is called once per step with the gradient g of the batch
/// and the step size η of this step, and writes u (the driver moves x ← x − η·u).
pub trait UpdateRule: Send {
    /// Writes the direction u for the gradient `g` into `u`.
    fn direction(&mut self, g: &[f64], lr: f64, u: &mut [f64]);
    /// Forgets the momentum (after a step-size drop, as SASA does).
    fn reset_momentum(&mut self) {}
}

/// Which update rule, with its constants (defaults: those of `torch.optim`, optax for
/// NovoGrad, the papers for the rest).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// u = g.
    Sgd,
    /// Heavy ball as in torch: b ← μ·b + g (b₁ = g), u = b.
    Momentum { mu: f64 },
    /// Nesterov as in torch: b ← μ·b + g (b₁ = g), u = g + μ·b.
    Nesterov { mu: f64 },
    /// Quasi-hyperbolic momentum (Ma & Yarats 2019), SALSA's base direction:
    /// h ← β·h + (1−β)·g, u = (1−ν)·g + ν·h. Its direction has the gradient's scale, so a line
    /// search along it is meaningful (torch's buffer of `Momentum` is 1/(1−β) times longer).
    Qhm { beta: f64, nu: f64 },
    /// AdaGrad (Duchi, Hazan & Singer 2011) as in torch: s ← s + g², u = g/(√s + ε).
    AdaGrad { eps: f64 },
    /// RMSprop (Tieleman & Hinton 2012) as in torch: v ← α·v + (1−α)·g², u = g/(√v + ε).
    RmsProp { alpha: f64, eps: f64 },
    /// Adam (Kingma & Ba 2015): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
    /// u = m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). AdamW is this rule with the driver's
    /// decoupled weight decay (Loshchilov & Hutter 2019).
    Adam { beta1: f64, beta2: f64, eps: f64 },
    /// NovoGrad (Ginsburg et al. 2019, arXiv 1905.11286), optax's `scale_by_novograd`: per
    /// parameter group ℓ a scalar νₗ = ‖gₗ‖² on the first step, then νₗ ← β₂νₗ + (1−β₂)‖gₗ‖²;
    /// ĝₗ = gₗ/(√νₗ + ε); m ← β₁m + ĝ (m₁ = ĝ); u = m. OpenSeq2Seq puts ε inside the root
    /// (gₗ/√(νₗ + ε)) and defaults β₂ = 0.98; torch-optimizer puts it outside, as optax, and
    /// defaults β = (0.95, 0); both optionally scale ĝ by (1−β₁) ("grad averaging"), which
    /// `grad_averaging` switches on here. Weight decay is the driver's (decoupled), not a
    /// term λ·x added to ĝ as in all three.
    NovoGrad {
        beta1: f64,
        beta2: f64,
        eps: f64,
        grad_averaging: bool,
    },
    /// Normalized SGD (Zhang, He, Sra & Jadbabaie 2020): u = g/(‖g‖ + β).
    Normalized { beta: f64 },
    /// Clipped SGD (Zhang et al. 2020): step h = min(η, γ·η/‖g‖), i.e. u = min(1, γ/‖g‖)·g.
    Clipped { gamma: f64 },
    /// Step sizes adapted by exponentiated-gradient updates (Amid, Anil, Fifty & Warmuth 2022,
    /// arXiv 2202.00145); see [`Eg`].
    Eg {
        beta: f64,
        rate_global: f64,
        rate_layer: f64,
        rate_coord: f64,
    },
}

impl Rule {
    pub const NAMES: [&'static str; 13] = [
        "sgd", "momentum", "nesterov", "qhm", "adagrad", "rmsprop", "adam", "adamw", "novograd",
        "nsgd", "clipped", "eg", "salsa",
    ];

    pub fn momentum() -> Rule {
        Rule::Momentum { mu: 0.9 }
    }
    pub fn nesterov() -> Rule {
        Rule::Nesterov { mu: 0.9 }
    }
    /// β = 0.9, ν = 1: an exponential average of the gradients (statopt's SALSA defaults to
    /// β = 0, plain SGD; the average is chosen here for its smoother line searches).
    pub fn qhm() -> Rule {
        Rule::Qhm { beta: 0.9, nu: 1.0 }
    }
    pub fn adagrad() -> Rule {
        Rule::AdaGrad { eps: 1e-10 }
    }
    pub fn rmsprop() -> Rule {
        Rule::RmsProp {
            alpha: 0.99,
            eps: 1e-8,
        }
    }
    pub fn adam() -> Rule {
        Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
    /// optax's `novograd` defaults: β₁ 0.9, β₂ 0.25, ε 1e-6.
    pub fn novograd() -> Rule {
        Rule::NovoGrad {
            beta1: 0.9,
            beta2: 0.25,
            eps: 1e-6,
            grad_averaging: false,
        }
    }
    pub fn normalized() -> Rule {
        Rule::Normalized { beta: 1e-3 }
    }
    pub fn clipped() -> Rule {
        Rule::Clipped { gamma: 1.0 }
    }
    pub fn eg() -> Rule {
        Rule::Eg {
            beta: 0.9,
            rate_global: 1.0,
            rate_layer: 1.0,
            rate_coord: 1.0,
        }
    }

    /// The rule a name picks (`adamw` is Adam: the driver's weight decay is decoupled for every
    /// rule; `salsa` is [`Rule::qhm`], the direction SALSA's line search and tests use).
    pub fn parse(name: &str) -> Result<Rule> {
        Ok(match name {
            "sgd" => Rule::Sgd,
            "momentum" | "heavy-ball" => Rule::momentum(),
            "salsa" | "qhm" => Rule::qhm(),
            "nesterov" => Rule::nesterov(),
            "adagrad" => Rule::adagrad(),
            "rmsprop" => Rule::rmsprop(),
            "adam" | "adamw" => Rule::adam(),
            "novograd" => Rule::novograd(),
            "nsgd" | "normalized" => Rule::normalized(),
            "clipped" => Rule::clipped(),
            "eg" => Rule::eg(),
            _ => {
                return Err(Error::invalid(format!(
                    "unknown update rule '{name}': use one of {}",
                    Rule::NAMES.join(", ")
                )))
            }
        })
    }

    /// Fresh state for `dim` parameters split into `groups` (layers: NovoGrad's and EG's
    /// per-group quantities; one group over everything when empty).
    pub fn init(&self, dim: usize, groups: &[Range<usize>]) -> Box<dyn UpdateRule> {
        let groups = if groups.is_empty() {
            std::iter::once(0..dim).collect()
        } else {
            groups.to_vec()
        };
        let zeros = || vec![0.0; dim];
        match *self {
            Rule::Sgd => Box::new(Plain),
            Rule::Momentum { mu } => Box::new(HeavyBall {
                mu,
                nesterov: false,
                b: zeros(),
                started: false,
            }),
            Rule::Nesterov { mu } => Box::new(HeavyBall {
                mu,
                nesterov: true,
                b: zeros(),
                started: false,
            }),
            Rule::Qhm { beta, nu } => Box::new(Qhm {
                beta,
                nu,
                h: zeros(),
            }),
            Rule::AdaGrad { eps } => Box::new(AdaGrad { eps, s: zeros() }),
            Rule::RmsProp { alpha, eps } => Box::new(RmsProp {
                alpha,
                eps,
                v: zeros(),
            }),
            Rule::Adam { beta1, beta2, eps } => Box::new(Adam {
                beta1,
                beta2,
                eps,
                m: zeros(),
                v: zeros(),
                t: 0,
            }),
            Rule::NovoGrad {
                beta1,
                beta2,
                eps,
                grad_averaging,
            } => Box::new(NovoGrad {
                beta1,
                beta2,
                eps,
                grad_averaging,
                nu: vec![0.0; groups.len()],
                groups,
                m: zeros(),
                t: 0,
            }),
            Rule::Normalized { beta } => Box::new(Normalized { beta }),
            Rule::Clipped { gamma } => Box::new(ClippedSgd { gamma }),
            Rule::Eg {
                beta,
                rate_global,
                rate_layer,
                rate_coord,
            } => Box::new(Eg {
                beta,
                rates: [rate_global, rate_layer, rate_coord],
                m: zeros(),
                last: zeros(),
                p: vec![1.0; dim],
                q: vec![1.0; groups.len()],
                s: 1.0,
                groups,
            }),
        }
    }
}

struct Plain;
impl UpdateRule for Plain {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        u.copy_from_slice(g);
    }
}

struct HeavyBall {
    mu: f64,
    nesterov: bool,
    b: Vec<f64>,
    started: bool,
}
impl UpdateRule for HeavyBall {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        for ((b, &gi), ui) in self.b.iter_mut().zip(g).zip(u.iter_mut()) {
            *b = if self.started { self.mu * *b + gi } else { gi };
            *ui = if self.nesterov { gi + self.mu * *b } else { *b };
        }
        self.started = true;
    }
    fn reset_momentum(&mut self) {
        self.started = false;
    }
}

struct Qhm {
    beta: f64,
    nu: f64,
    h: Vec<f64>,
}
impl UpdateRule for Qhm {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        for ((h, &gi), ui) in self.h.iter_mut().zip(g).zip(u.iter_mut()) {
            *h = self.beta * *h + (1.0 - self.beta) * gi;
            *ui = (1.0 - self.nu) * gi + self.nu * *h;
        }
    }
    fn reset_momentum(&mut self) {
        self.h.fill(0.0);
    }
}

struct AdaGrad {
    eps: f64,
    s: Vec<f64>,
}
impl UpdateRule for AdaGrad {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        for ((s, &gi), ui) in self.s.iter_mut().zip(g).zip(u.iter_mut()) {
            *s += gi * gi;
            *ui = gi / (s.sqrt() + self.eps);
        }
    }
}

struct RmsProp {
    alpha: f64,
    eps: f64,
    v: Vec<f64>,
}
impl UpdateRule for RmsProp {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        for ((v, &gi), ui) in self.v.iter_mut().zip(g).zip(u.iter_mut()) {
            *v = self.alpha * *v + (1.0 - self.alpha) * gi * gi;
            *ui = gi / (v.sqrt() + self.eps);
        }
    }
}

struct Adam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}
impl UpdateRule for Adam {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        self.t += 1;
        let c1 = 1.0 - self.beta1.powi(self.t);
        let c2 = 1.0 - self.beta2.powi(self.t);
        let (b1, b2, eps) = (self.beta1, self.beta2, self.eps);
        for (((m, v), &gi), ui) in self.m.iter_mut().zip(&mut self.v).zip(g).zip(u.iter_mut()) {
            *m = b1 * *m + (1.0 - b1) * gi;
            *v = b2 * *v + (1.0 - b2) * gi * gi;
            *ui = (*m / c1) / ((*v / c2).sqrt() + eps);
        }
    }
    fn reset_momentum(&mut self) {
        self.m.fill(0.0);
    }
}

struct NovoGrad {
    beta1: f64,
    beta2: f64,
    eps: f64,
    grad_averaging: bool,
    groups: Vec<Range<usize>>,
    nu: Vec<f64>,
    m: Vec<f64>,
    t: u64,
}
impl UpdateRule for NovoGrad {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        let first = self.t == 0;
        self.t += 1;
        let scale = if self.grad_averaging {
            1.0 - self.beta1
        } else {
            1.0
        };
        for (r, nu) in self.groups.iter().zip(&mut self.nu) {
            let gl = &g[r.clone()];
            let sq = dot(gl, gl);
            *nu = if first {
                sq
            } else {
                self.beta2 * *nu + (1.0 - self.beta2) * sq
            };
            let denom = nu.sqrt() + self.eps;
            for ((m, &gi), ui) in self.m[r.clone()].iter_mut().zip(gl).zip(&mut u[r.clone()]) {
                let gh = scale * gi / denom;
                *m = if first { gh } else { self.beta1 * *m + gh };
                *ui = *m;
            }
        }
    }
    fn reset_momentum(&mut self) {
        self.t = 0;
    }
}

struct Normalized {
    beta: f64,
}
impl UpdateRule for Normalized {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        let d = norm(g) + self.beta;
        for (ui, &gi) in u.iter_mut().zip(g) {
            *ui = if d > 0.0 { gi / d } else { 0.0 };
        }
    }
}

struct ClippedSgd {
    gamma: f64,
}
impl UpdateRule for ClippedSgd {
    fn direction(&mut self, g: &[f64], _: f64, u: &mut [f64]) {
        let n = norm(g);
        let h = if n > self.gamma { self.gamma / n } else { 1.0 };
        for (ui, &gi) in u.iter_mut().zip(g) {
            *ui = h * gi;
        }
    }
}

/// Step sizes adapted by exponentiated-gradient updates (Amid, Anil, Fifty & Warmuth 2022).
///
/// The step is Δₜ = −ηₜ·s·q_ℓ(i)·pᵢ·mₜ,ᵢ: a global gain s, one gain q_ℓ per group (layer), one
/// gain pᵢ per coordinate, all starting at 1, on the momentum direction
/// mₜ = β·mₜ₋₁ + (1−β)·gₜ. The gains are the weights of the unnormalized EG update (EGU,
/// Kivinen & Warmuth 1997) on the loss at the point the last step reached: with
/// θₜ = θₜ₋₁ + Δₜ₋₁ and gₜ = ∇f(θₜ), aᵢ = gₜ,ᵢ·Δₜ₋₁,ᵢ is ∂f(θₜ)/∂log pᵢ, so
/// ∂f(θₜ)/∂pᵢ = aᵢ/pᵢ, ∂f(θₜ)/∂q_ℓ = Σ_{i∈ℓ} aᵢ/q_ℓ, ∂f(θₜ)/∂s = Σᵢ aᵢ/s, and each gain w moves
/// to w·exp(−γ_w·∂f(θₜ)/∂w). A step that agrees with the new gradient (aᵢ < 0: f still
/// decreasing along it) grows its gains, one that overshot (aᵢ > 0) shrinks them: a smooth
/// RProp. Choices made where the paper leaves room: the gains multiply the learning rate of the
/// schedule (so a schedule still applies), the three levels are updated together from the same
/// aᵢ, and each exponent is clipped to [−1, 1] so that one noisy batch changes a gain by at most
/// a factor e.
pub struct Eg {
    beta: f64,
    /// γ_s, γ_ℓ, γ_p.
    rates: [f64; 3],
    m: Vec<f64>,
    /// Δₜ₋₁.
    last: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
    s: f64,
    groups: Vec<Range<usize>>,
}

/// exp(−γ·d) with the exponent clipped to [−1, 1].
fn egu(rate: f64, derivative: f64) -> f64 {
    (-rate * derivative).clamp(-1.0, 1.0).exp()
}

impl UpdateRule for Eg {
    fn direction(&mut self, g: &[f64], lr: f64, u: &mut [f64]) {
        let [gs, gl, gp] = self.rates;
        let total = dot(g, &self.last);
        let s_new = self.s * egu(gs, total / self.s);
        for (r, q) in self.groups.iter().zip(&mut self.q) {
            let a_l = dot(&g[r.clone()], &self.last[r.clone()]);
            let q_new = *q * egu(gl, a_l / *q);
            for i in r.clone() {
                let a = g[i] * self.last[i];
                self.p[i] *= egu(gp, a / self.p[i]);
            }
            *q = q_new;
            for i in r.clone() {
                self.m[i] = self.beta * self.m[i] + (1.0 - self.beta) * g[i];
                u[i] = s_new * *q * self.p[i] * self.m[i];
            }
        }
        self.s = s_new;
        for (l, ui) in self.last.iter_mut().zip(u.iter()) {
            *l = -lr * ui;
        }
    }
    fn reset_momentum(&mut self) {
        self.m.fill(0.0);
        self.last.fill(0.0);
    }
}
