//! The arrays behind a matrix: owned, or shared with another owner (such as a NumPy array held
//! by a Python binding) so that a matrix can be built over them without a copy.

use std::sync::Arc;

/// A read-only slice of `T`, owned (`Vec<T>`) or shared with its owner. Cloning a shared buffer
/// clones the handle, not the values.
pub enum Buffer<T: 'static> {
    Owned(Vec<T>),
    /// Values owned elsewhere; the handle keeps them alive and must never let them change while
    /// it lives.
    Shared(Arc<dyn AsRef<[T]> + Send + Sync>),
}

impl<T: 'static> std::ops::Deref for Buffer<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Buffer::Owned(v) => v,
            Buffer::Shared(s) => (**s).as_ref(),
        }
    }
}

impl<T: Clone + 'static> Clone for Buffer<T> {
    fn clone(&self) -> Self {
        match self {
            Buffer::Owned(v) => Buffer::Owned(v.clone()),
            Buffer::Shared(s) => Buffer::Shared(Arc::clone(s)),
        }
    }
}

impl<T: std::fmt::Debug + 'static> std::fmt::Debug for Buffer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: PartialEq + 'static> PartialEq for Buffer<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: 'static> From<Vec<T>> for Buffer<T> {
    fn from(v: Vec<T>) -> Self {
        Buffer::Owned(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_buffer_reads_its_owners_values_and_clones_the_handle() {
        let owner: Arc<Vec<f64>> = Arc::new(vec![1.0, 2.0, 3.0]);
        let b: Buffer<f64> = Buffer::Shared(owner.clone());
        assert_eq!(&*b, &[1.0, 2.0, 3.0]);
        assert_eq!(b.as_ptr(), owner.as_ptr(), "no copy");
        let c = b.clone();
        assert_eq!(c.as_ptr(), owner.as_ptr());
        assert_eq!(Arc::strong_count(&owner), 3);
        assert_eq!(c, Buffer::Owned(vec![1.0, 2.0, 3.0]));
    }
}
