//! Dense matrix products by faer, leaving the vector registers clean for the scalar code after.

use faer::{Accum, MatMut, MatRef, Par};

/// faer's parallelism on the calling thread's rayon pool: [`Par::Seq`] in a one-thread pool,
/// else that pool's size (the pool installed around the call, or the global one). faer's
/// `Par::rayon(0)` reads the same size; every faer call of the library goes through this one rule.
pub fn par() -> Par {
    match rayon::current_num_threads() {
        0 | 1 => Par::Seq,
        n => Par::rayon(n),
    }
}

/// `dst ← α·lhs·rhs` (or `dst + α·lhs·rhs` with [`Accum::Add`]) by faer's GEMM, followed by
/// [`clear_upper_vector_state`] on every thread that may have run it.
pub fn matmul(
    dst: MatMut<'_, f64>,
    accum: Accum,
    lhs: MatRef<'_, f64>,
    rhs: MatRef<'_, f64>,
    alpha: f64,
    par: Par,
) {
    faer::linalg::matmul::matmul(dst, accum, lhs, rhs, alpha, par);
    clear_upper_vector_state(par);
}

/// Issues `vzeroupper` on this thread and, for a parallel `par`, on every rayon worker.
///
/// faer's AVX-512 kernels can return with the upper halves of the vector registers in use. Until
/// a `vzeroupper`, every SSE-encoded instruction after them pays a transition penalty: measured
/// here, libm's `exp` ran 24× slower after one GEMM (`examples/vector_state.rs`). Call this after
/// a faer routine that is followed by scalar transcendental code (softmax, tanh, log1p).
pub fn clear_upper_vector_state(par: Par) {
    #[cfg(target_arch = "x86_64")]
    {
        fn clear() {
            if std::is_x86_feature_detected!("avx") {
                // SAFETY: the CPU supports AVX (checked above), and vzeroupper only zeroes the
                // upper register halves, which no live value holds between Rust statements.
                unsafe { std::arch::x86_64::_mm256_zeroupper() }
            }
        }
        clear();
        if matches!(par, Par::Rayon(_)) {
            rayon::broadcast(|_| clear());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = par;
}
