//! Forward-mode dual numbers, so that each test problem writes its residuals once and gets
//! exact first and second derivatives (no truncation error, unlike finite differences).
//!
//! A [`Dual`] carries v + d·ε with ε² = 0: evaluating r at x + ε·eⱼ gives ∂r/∂xⱼ. A
//! [`HyperDual`] carries v + a·ε₁ + b·ε₂ + ab·ε₁ε₂ with ε₁² = ε₂² = 0: evaluating r at
//! x + ε₁·eⱼ + ε₂·eₖ gives ∂r/∂xⱼ, ∂r/∂xₖ and ∂²r/∂xⱼ∂xₖ (Fike & Alonso 2011, "The development
//! of hyper-dual numbers for exact second-derivative calculations").

use std::ops::{Add, Div, Mul, Neg, Sub};

/// The arithmetic the residual functions are written in: `f64`, [`Dual`] or [`HyperDual`].
/// Constants go on the right of an operator (`x * 10.0`), or through [`Scalar::cst`].
pub(crate) trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// A constant.
    fn cst(c: f64) -> Self;
    /// The value part, for branches.
    fn re(self) -> f64;
    /// g(self), given g, g′ and g″ at `self.re()` (the chain rule to second order).
    fn chain(self, g: f64, g1: f64, g2: f64) -> Self;

    fn exp(self) -> Self {
        let e = self.re().exp();
        self.chain(e, e, e)
    }
    fn ln(self) -> Self {
        let v = self.re();
        self.chain(v.ln(), 1.0 / v, -1.0 / (v * v))
    }
    fn sin(self) -> Self {
        let (s, c) = self.re().sin_cos();
        self.chain(s, c, -s)
    }
    fn cos(self) -> Self {
        let (s, c) = self.re().sin_cos();
        self.chain(c, -s, -c)
    }
    fn sqrt(self) -> Self {
        let v = self.re();
        let r = v.sqrt();
        self.chain(r, 0.5 / r, -0.25 / (r * v))
    }
    fn atan(self) -> Self {
        let v = self.re();
        let d = 1.0 / (1.0 + v * v);
        self.chain(v.atan(), d, -2.0 * v * d * d)
    }
    fn abs(self) -> Self {
        if self.re() < 0.0 {
            -self
        } else {
            self
        }
    }
    fn sq(self) -> Self {
        self * self
    }
    fn recip(self) -> Self {
        let v = self.re();
        let r = 1.0 / v;
        self.chain(r, -r * r, 2.0 * r * r * r)
    }
    /// selfᵖ for a positive base and a variable exponent: exp(p·ln self).
    fn powv(self, p: Self) -> Self {
        (self.ln() * p).exp()
    }
}

impl Scalar for f64 {
    fn cst(c: f64) -> Self {
        c
    }
    fn re(self) -> f64 {
        self
    }
    fn chain(self, g: f64, _: f64, _: f64) -> Self {
        g
    }
    // The plain functions, without the derivatives the defaults compute.
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn sin(self) -> Self {
        f64::sin(self)
    }
    fn cos(self) -> Self {
        f64::cos(self)
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn atan(self) -> Self {
        f64::atan(self)
    }
    fn recip(self) -> Self {
        1.0 / self
    }
}

/// v + d·ε with ε² = 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Dual {
    pub v: f64,
    pub d: f64,
}

/// v + a·ε₁ + b·ε₂ + ab·ε₁ε₂ with ε₁² = ε₂² = 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct HyperDual {
    pub v: f64,
    pub a: f64,
    pub b: f64,
    pub ab: f64,
}

/// The operators every dual type shares: component-wise + and −, and scaling by an f64.
macro_rules! dual_ops {
    ($t:ident { $($f:ident),+ }) => {
        impl Add for $t {
            type Output = $t;
            fn add(self, o: $t) -> $t {
                $t { $($f: self.$f + o.$f),+ }
            }
        }
        impl Sub for $t {
            type Output = $t;
            fn sub(self, o: $t) -> $t {
                $t { $($f: self.$f - o.$f),+ }
            }
        }
        impl Neg for $t {
            type Output = $t;
            fn neg(self) -> $t {
                $t { $($f: -self.$f),+ }
            }
        }
        impl Mul<f64> for $t {
            type Output = $t;
            fn mul(self, c: f64) -> $t {
                $t { $($f: self.$f * c),+ }
            }
        }
        impl Div<f64> for $t {
            type Output = $t;
            fn div(self, c: f64) -> $t {
                $t { $($f: self.$f / c),+ }
            }
        }
        impl Add<f64> for $t {
            type Output = $t;
            fn add(mut self, c: f64) -> $t {
                self.v += c;
                self
            }
        }
        impl Sub<f64> for $t {
            type Output = $t;
            fn sub(mut self, c: f64) -> $t {
                self.v -= c;
                self
            }
        }
    };
}

dual_ops!(Dual { v, d });
dual_ops!(HyperDual { v, a, b, ab });

impl Mul for Dual {
    type Output = Dual;
    fn mul(self, o: Dual) -> Dual {
        Dual {
            v: self.v * o.v,
            d: self.v * o.d + self.d * o.v,
        }
    }
}

impl Mul for HyperDual {
    type Output = HyperDual;
    fn mul(self, o: HyperDual) -> HyperDual {
        HyperDual {
            v: self.v * o.v,
            a: self.v * o.a + self.a * o.v,
            b: self.v * o.b + self.b * o.v,
            ab: self.v * o.ab + self.a * o.b + self.b * o.a + self.ab * o.v,
        }
    }
}

// Division keeps the value part v₁/v₂ exactly as f64 computes it, so that f from the dual
// evaluations is bit-for-bit f from the plain one.
impl Div for Dual {
    type Output = Dual;
    fn div(self, o: Dual) -> Dual {
        let v = self.v / o.v;
        Dual {
            v,
            d: (self.d - v * o.d) / o.v,
        }
    }
}

impl Div for HyperDual {
    type Output = HyperDual;
    fn div(self, o: HyperDual) -> HyperDual {
        let v = self.v / o.v;
        let a = (self.a - v * o.a) / o.v;
        let b = (self.b - v * o.b) / o.v;
        HyperDual {
            v,
            a,
            b,
            ab: (self.ab - v * o.ab - a * o.b - b * o.a) / o.v,
        }
    }
}

impl Scalar for Dual {
    fn cst(c: f64) -> Self {
        Dual { v: c, d: 0.0 }
    }
    fn re(self) -> f64 {
        self.v
    }
    fn chain(self, g: f64, g1: f64, _: f64) -> Self {
        Dual {
            v: g,
            d: g1 * self.d,
        }
    }
}

impl Scalar for HyperDual {
    fn cst(c: f64) -> Self {
        HyperDual {
            v: c,
            a: 0.0,
            b: 0.0,
            ab: 0.0,
        }
    }
    fn re(self) -> f64 {
        self.v
    }
    fn chain(self, g: f64, g1: f64, g2: f64) -> Self {
        HyperDual {
            v: g,
            a: g1 * self.a,
            b: g1 * self.b,
            ab: g1 * self.ab + g2 * self.a * self.b,
        }
    }
}
