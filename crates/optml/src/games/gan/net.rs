//! A small dense network for the GAN's two players: tanh on the hidden layers, identity on the
//! last. Parameters layer by layer in forward order, Wₗ (out × in, row-major) then bₗ, as in
//! [`models::mlp`](crate::models::mlp); written over any [`Real`] scalar so that dual numbers
//! give exact second-order products through the same code.

use super::dual::Real;

#[derive(Clone, Debug)]
pub(crate) struct Net {
    sizes: Vec<usize>,
}

/// Activations (layer 0: the input) and back-propagated errors of one pass, reused across samples.
pub(crate) struct Tape<T> {
    pub acts: Vec<Vec<T>>,
    deltas: Vec<Vec<T>>,
}

impl Net {
    pub fn new(sizes: &[usize]) -> Net {
        Net {
            sizes: sizes.to_vec(),
        }
    }

    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    pub fn dim(&self) -> usize {
        self.sizes.windows(2).map(|w| w[1] * w[0] + w[1]).sum()
    }

    pub fn tape<T: Real>(&self) -> Tape<T> {
        let zeros = |&n: &usize| vec![T::constant(0.0); n];
        Tape {
            acts: self.sizes.iter().map(zeros).collect(),
            deltas: self.sizes.iter().map(zeros).collect(),
        }
    }

    /// Runs `input` through the network; the output is `tape.acts.last()`.
    pub fn forward<T: Real>(&self, theta: &[T], input: &[T], tape: &mut Tape<T>) {
        tape.acts[0].copy_from_slice(input);
        let layers = self.sizes.len() - 1;
        let mut off = 0;
        for l in 1..=layers {
            let (din, dout) = (self.sizes[l - 1], self.sizes[l]);
            let (w, b) = (&theta[off..off + dout * din], &theta[off + dout * din..]);
            let (prev, rest) = tape.acts.split_at_mut(l);
            let (a_in, a_out) = (&prev[l - 1], &mut rest[0]);
            for o in 0..dout {
                let mut z = b[o];
                for (wi, ai) in w[o * din..(o + 1) * din].iter().zip(a_in) {
                    z += *wi * *ai;
                }
                a_out[o] = if l < layers { z.tanh() } else { z };
            }
            off += dout * din + dout;
        }
    }

    /// Back-propagates `dout` = ∂L/∂output through the pass recorded in `tape`: adds ∂L/∂θ to
    /// `grad` (when given) and writes ∂L/∂input to `din` (when given).
    pub fn backward<T: Real>(
        &self,
        theta: &[T],
        tape: &mut Tape<T>,
        dout: &[T],
        mut grad: Option<&mut [T]>,
        din: Option<&mut [T]>,
    ) {
        let layers = self.sizes.len() - 1;
        tape.deltas[layers].copy_from_slice(dout);
        let mut end = self.dim();
        for l in (1..=layers).rev() {
            let (n_in, n_out) = (self.sizes[l - 1], self.sizes[l]);
            let off = end - n_out * n_in - n_out;
            let w = &theta[off..off + n_out * n_in];
            let (lower, upper) = tape.deltas.split_at_mut(l);
            let delta = &upper[0];
            let a_in = &tape.acts[l - 1];
            if let Some(g) = grad.as_deref_mut() {
                let (gw, gb) = g[off..end].split_at_mut(n_out * n_in);
                for o in 0..n_out {
                    let d = delta[o];
                    for (gwi, ai) in gw[o * n_in..(o + 1) * n_in].iter_mut().zip(a_in) {
                        *gwi += d * *ai;
                    }
                    gb[o] += d;
                }
            }
            if l > 1 || din.is_some() {
                let below = &mut lower[l - 1];
                for (i, b) in below.iter_mut().enumerate() {
                    let mut s = T::constant(0.0);
                    for o in 0..n_out {
                        s += w[o * n_in + i] * delta[o];
                    }
                    // Through tanh: a = tanh(z), da/dz = 1 − a².
                    *b = if l > 1 {
                        s * (T::constant(1.0) - a_in[i] * a_in[i])
                    } else {
                        s
                    };
                }
            }
            end = off;
        }
        if let Some(din) = din {
            din.copy_from_slice(&tape.deltas[0]);
        }
    }
}
