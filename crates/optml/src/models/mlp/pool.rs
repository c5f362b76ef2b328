//! A pool of `f64` buffers reused from pass to pass.
//!
//! A pass over the batch needs a few buffers of n × width values (about half a megabyte for the
//! digits network), large enough that the allocator maps fresh pages for each and the kernel
//! zeroes them on first touch. Taking them from the pool instead keeps repeated passes on memory
//! that is already mapped.

use std::sync::Mutex;

/// At most this many idle buffers are kept; more are freed.
const KEEP: usize = 64;

/// Idle buffers, shared by the threads that use one network (a mutex held only to push or pop).
#[derive(Default)]
pub(crate) struct Pool(Mutex<Vec<Vec<f64>>>);

impl Pool {
    /// A zeroed buffer of `len` values: the smallest idle one that holds `len`, else a new one.
    pub fn take(&self, len: usize) -> Vec<f64> {
        if len == 0 {
            return Vec::new();
        }
        let found = {
            let mut idle = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let best = idle
                .iter()
                .enumerate()
                .filter(|(_, b)| b.capacity() >= len)
                .min_by_key(|(_, b)| b.capacity())
                .map(|(i, _)| i);
            best.map(|i| idle.swap_remove(i))
        };
        match found {
            Some(mut b) => {
                b.clear();
                b.resize(len, 0.0);
                b
            }
            None => vec![0.0; len],
        }
    }

    /// Returns a buffer for later [`take`](Pool::take)s.
    pub fn give(&self, b: Vec<f64>) {
        if b.capacity() == 0 {
            return;
        }
        let mut idle = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < KEEP {
            idle.push(b);
        }
    }

    /// Returns every buffer of `bs`.
    pub fn give_all(&self, bs: impl IntoIterator<Item = Vec<f64>>) {
        for b in bs {
            self.give(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_buffers_are_zeroed_and_reused() {
        let pool = Pool::default();
        let mut a = pool.take(100);
        assert_eq!(a, vec![0.0; 100]);
        a.fill(3.0);
        let ptr = a.as_ptr();
        pool.give(a);
        let b = pool.take(80);
        assert_eq!(b.as_ptr(), ptr);
        assert_eq!(b, vec![0.0; 80]);
        // Too small to reuse: a fresh buffer.
        pool.give(b);
        assert_eq!(pool.take(101).len(), 101);
    }
}
