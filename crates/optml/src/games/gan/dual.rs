//! Scalars for the GAN's back-propagation: `f64`, and dual numbers a + bε (ε² = 0) that carry a
//! directional derivative through it. Running the gradient code on [`Dual`] with the seed
//! direction in the ε parts gives d/dt ∇(θ + t·w) at t = 0, a Hessian-vector product exact to
//! rounding (forward-over-reverse differentiation, no finite differences).

use std::ops::{Add, AddAssign, Mul, Neg, Sub};

/// What the gradient code needs of a scalar.
pub(crate) trait Real:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + Send
    + Sync
{
    fn constant(v: f64) -> Self;
    fn tanh(self) -> Self;
    /// log(1 + eˢ), written so it cannot overflow.
    fn softplus(self) -> Self;
    /// σ(s) = 1/(1 + e⁻ˢ).
    fn sigmoid(self) -> Self;
}

fn softplus(s: f64) -> f64 {
    s.max(0.0) + (-s.abs()).exp().ln_1p()
}

fn sigmoid(s: f64) -> f64 {
    if s >= 0.0 {
        1.0 / (1.0 + (-s).exp())
    } else {
        let e = s.exp();
        e / (1.0 + e)
    }
}

impl Real for f64 {
    fn constant(v: f64) -> f64 {
        v
    }
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    fn softplus(self) -> f64 {
        softplus(self)
    }
    fn sigmoid(self) -> f64 {
        sigmoid(self)
    }
}

/// a + bε with ε² = 0: `re` is the value, `eps` its derivative along the seed direction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Dual {
    pub re: f64,
    pub eps: f64,
}

impl Dual {
    pub fn new(re: f64, eps: f64) -> Dual {
        Dual { re, eps }
    }
}

impl Add for Dual {
    type Output = Dual;
    fn add(self, o: Dual) -> Dual {
        Dual::new(self.re + o.re, self.eps + o.eps)
    }
}

impl AddAssign for Dual {
    fn add_assign(&mut self, o: Dual) {
        self.re += o.re;
        self.eps += o.eps;
    }
}

impl Sub for Dual {
    type Output = Dual;
    fn sub(self, o: Dual) -> Dual {
        Dual::new(self.re - o.re, self.eps - o.eps)
    }
}

impl Mul for Dual {
    type Output = Dual;
    fn mul(self, o: Dual) -> Dual {
        Dual::new(self.re * o.re, self.re * o.eps + self.eps * o.re)
    }
}

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        Dual::new(-self.re, -self.eps)
    }
}

impl Real for Dual {
    fn constant(v: f64) -> Dual {
        Dual::new(v, 0.0)
    }
    fn tanh(self) -> Dual {
        let t = self.re.tanh();
        Dual::new(t, self.eps * (1.0 - t * t))
    }
    fn softplus(self) -> Dual {
        Dual::new(softplus(self.re), self.eps * sigmoid(self.re))
    }
    fn sigmoid(self) -> Dual {
        let s = sigmoid(self.re);
        Dual::new(s, self.eps * s * (1.0 - s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A function on duals and the same function on floats.
    type Pair = (fn(Dual) -> Dual, fn(f64) -> f64);

    #[test]
    fn dual_parts_are_derivatives() {
        let h = 1e-6;
        for s in [-30.0, -2.0, -0.3, 0.0, 0.7, 3.0, 40.0] {
            let d = Dual::new(s, 1.0);
            let checks: [Pair; 3] = [
                (Real::tanh, f64::tanh),
                (Real::softplus, softplus),
                (Real::sigmoid, sigmoid),
            ];
            for (fd, f) in checks {
                let fdiff = (f(s + h) - f(s - h)) / (2.0 * h);
                assert!((fd(d).eps - fdiff).abs() < 1e-7, "at {s}");
                assert_eq!(fd(d).re, f(s));
            }
            let p = d * Dual::new(2.0, 0.5) - Dual::constant(1.0);
            assert_eq!(p, Dual::new(2.0 * s - 1.0, 2.0 + 0.5 * s));
        }
        assert!(softplus(800.0).is_finite() && softplus(-800.0) >= 0.0);
    }
}
