//! NumPy arrays as the library's matrices, without a copy: a C-contiguous float64 array becomes
//! a dense design over the same memory, a SciPy CSR matrix's (indptr int64, indices int32, data
//! float64) arrays a CSR design over theirs. Other dtypes and layouts are converted once on the
//! Python side before they get here.

use std::sync::Arc;

use numpy::{Element, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use optml::linalg::{Buffer, CsrMatrix, DenseMatrix, Design};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::to_pyerr;

/// A NumPy array's values seen as `[T]`, kept alive by a reference to the array.
///
/// Safety: the caller holds a read-only borrow (`PyReadonlyArray`, which rust-numpy registers so
/// that no Rust code writes the array) for as long as the buffer is used, and the reference keeps
/// the memory alive. Python code could still write the array from another thread during a call
/// with the GIL released: the package documents that inputs must not change during a call.
struct NumpyView<T> {
    _owner: Py<PyAny>,
    ptr: *const T,
    len: usize,
}

unsafe impl<T> Send for NumpyView<T> {}
unsafe impl<T> Sync for NumpyView<T> {}

impl<T> AsRef<[T]> for NumpyView<T> {
    fn as_ref(&self) -> &[T] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: see the type's documentation.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// The array's values as a shared [`Buffer`] of `U`, a type of the same size and alignment as
/// `T` (i64 → usize, i32 → u32: negative values become huge ones, which the matrix checks refuse).
fn share<T: Element, U: 'static, D: numpy::ndarray::Dimension>(
    a: &numpy::PyReadonlyArray<'_, T, D>,
    what: &str,
) -> PyResult<Buffer<U>> {
    assert_eq!(std::mem::size_of::<T>(), std::mem::size_of::<U>());
    assert_eq!(std::mem::align_of::<T>(), std::mem::align_of::<U>());
    // (`as_slice` also accepts a Fortran-ordered array, whose values are not in row order.)
    let not_c = || PyValueError::new_err(format!("{what} must be a C-contiguous array"));
    if !a.is_c_contiguous() {
        return Err(not_c());
    }
    let s = a.as_slice().map_err(|_| not_c())?;
    let view = NumpyView::<U> {
        _owner: a.as_any().clone().unbind(),
        ptr: s.as_ptr().cast::<U>(),
        len: s.len(),
    };
    Ok(Buffer::Shared(Arc::new(view)))
}

/// A dense design over a C-contiguous float64 array (no copy).
pub fn dense(x: &PyReadonlyArray2<'_, f64>) -> PyResult<Design> {
    let (n, d) = (x.shape()[0], x.shape()[1]);
    let values = share::<f64, f64, _>(x, "X")?;
    DenseMatrix::from_row_major_buffer(n, d, values)
        .map(Design::Dense)
        .map_err(to_pyerr)
}

/// A CSR design over SciPy's arrays (no copy); every CSR invariant is checked.
pub fn csr(
    shape: (usize, usize),
    indptr: &PyReadonlyArray1<'_, i64>,
    indices: &PyReadonlyArray1<'_, i32>,
    data: &PyReadonlyArray1<'_, f64>,
) -> PyResult<Design> {
    if indptr.len() == 0 {
        return Err(PyValueError::new_err(
            "invalid input: CSR indptr must have nrows + 1 entries starting at 0",
        ));
    }
    let indptr = share::<i64, usize, _>(indptr, "indptr")?;
    let indices = share::<i32, u32, _>(indices, "indices")?;
    let values = share::<f64, f64, _>(data, "data")?;
    CsrMatrix::from_buffers(shape.0, shape.1, indptr, indices, values)
        .map(Design::Sparse)
        .map_err(to_pyerr)
}

/// Where the values of a design start, for tests that check no copy was made.
pub fn data_address(x: &Design) -> usize {
    match x {
        Design::Dense(m) => m.data().as_ptr() as usize,
        Design::Sparse(m) => m.values().as_ptr() as usize,
    }
}
