//! [`Comm`]: the collective operations the distributed methods use (all-reduce and broadcast),
//! over MPI ([`Comm::mpi`]), within one process ([`Comm::solo`]) or across threads
//! ([`Comm::threads`], for tests), with every round and byte counted.
//!
//! **What is counted.** A round is one collective call (an all-reduce or a broadcast); its bytes
//! are the payload one rank contributes (8 per f64). An all-reduce of the gradient of a model
//! with d parameters is one round of 8·(d + 1) bytes.

use std::cell::Cell;
use std::sync::{Arc, Barrier, Mutex};

use mpi::collective::SystemOperation;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

/// Communication so far: collective calls and the bytes one rank contributed to them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    pub rounds: u64,
    pub bytes: u64,
}

impl std::ops::Sub for Traffic {
    type Output = Traffic;
    fn sub(self, o: Traffic) -> Traffic {
        Traffic {
            rounds: self.rounds - o.rounds,
            bytes: self.bytes - o.bytes,
        }
    }
}

/// How the ranks exchange numbers.
enum Transport {
    /// One rank: every collective is the identity.
    Solo,
    /// MPI's world communicator.
    Mpi(SimpleCommunicator),
    /// Ranks as threads of one process.
    Threads(Arc<Shared>),
}

/// The meeting place of [`Comm::threads`]: one slot per rank, filled, then read by all.
struct Shared {
    barrier: Barrier,
    slots: Mutex<Vec<Vec<f64>>>,
}

/// The ranks of a run, as the methods see them: the rank, the world size, the all-reduce and the
/// broadcast, and counts of the traffic.
///
/// Every rank must make the same calls in the same order. The sum is formed in the same order
/// on every rank (MPI's reduction of a commutative operation, or rank order for threads), so
/// each rank gets the same bits and takes the same branches.
pub struct Comm {
    transport: Transport,
    rank: usize,
    size: usize,
    traffic: Cell<Traffic>,
}

impl Comm {
    /// The world of MPI: `universe` from `mpi::initialize()`.
    pub fn mpi(universe: &mpi::environment::Universe) -> Comm {
        let world = universe.world();
        Comm {
            rank: world.rank() as usize,
            size: world.size() as usize,
            transport: Transport::Mpi(world),
            traffic: Cell::default(),
        }
    }

    /// A world of one rank.
    pub fn solo() -> Comm {
        Comm {
            transport: Transport::Solo,
            rank: 0,
            size: 1,
            traffic: Cell::default(),
        }
    }

    /// `size` ranks as threads: call `work(comm)` on each, in its own thread, and return the
    /// results in rank order. A panic on one rank is raised after all threads end (the others
    /// must not wait on it: use only where every rank makes the same calls).
    pub fn threads<R: Send>(size: usize, work: impl Fn(Comm) -> R + Sync) -> Vec<R> {
        assert!(size > 0, "a world needs a rank");
        let shared = Arc::new(Shared {
            barrier: Barrier::new(size),
            slots: Mutex::new(vec![Vec::new(); size]),
        });
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..size)
                .map(|rank| {
                    let shared = shared.clone();
                    let work = &work;
                    s.spawn(move || {
                        work(Comm {
                            transport: Transport::Threads(shared),
                            rank,
                            size,
                            traffic: Cell::default(),
                        })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }

    pub fn rank(&self) -> usize {
        self.rank
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Rounds and bytes so far.
    pub fn traffic(&self) -> Traffic {
        self.traffic.get()
    }

    fn count(&self, len: usize) {
        let t = self.traffic.get();
        self.traffic.set(Traffic {
            rounds: t.rounds + 1,
            bytes: t.bytes + 8 * len as u64,
        });
    }

    /// `buf ← Σ_ranks buf`, in place: one round.
    pub fn sum(&self, buf: &mut [f64]) {
        self.reduce(buf, false);
    }

    /// `buf ← max_ranks buf`, entry by entry: one round.
    pub fn max(&self, buf: &mut [f64]) {
        self.reduce(buf, true);
    }

    fn reduce(&self, buf: &mut [f64], max: bool) {
        self.count(buf.len());
        match &self.transport {
            Transport::Solo => {}
            Transport::Mpi(world) => {
                let send = buf.to_vec();
                if max {
                    world.all_reduce_into(&send[..], buf, SystemOperation::max());
                } else {
                    world.all_reduce_into(&send[..], buf, SystemOperation::sum());
                }
            }
            Transport::Threads(shared) => {
                let all = self.exchange(shared, buf.to_vec());
                for (j, b) in buf.iter_mut().enumerate() {
                    let mut acc = all[0][j];
                    for part in &all[1..] {
                        acc = if max { acc.max(part[j]) } else { acc + part[j] };
                    }
                    *b = acc;
                }
            }
        }
    }

    /// Copies `root`'s `buf` to every rank: one round.
    pub fn broadcast(&self, root: usize, buf: &mut [f64]) {
        self.count(buf.len());
        match &self.transport {
            Transport::Solo => {}
            Transport::Mpi(world) => world.process_at_rank(root as i32).broadcast_into(buf),
            Transport::Threads(shared) => {
                let all = self.exchange(shared, buf.to_vec());
                buf.copy_from_slice(&all[root]);
            }
        }
    }

    /// `root`'s text, on every rank (two rounds: the length, then the bytes).
    pub fn broadcast_text(&self, root: usize, text: &str) -> String {
        let mut len = [text.len() as f64];
        self.broadcast(root, &mut len);
        let n = len[0] as usize;
        let mut bytes = if self.rank == root {
            text.as_bytes().to_vec()
        } else {
            vec![0u8; n]
        };
        let t = self.traffic.get();
        self.traffic.set(Traffic {
            rounds: t.rounds + 1,
            bytes: t.bytes + n as u64,
        });
        match &self.transport {
            Transport::Solo => {}
            Transport::Mpi(world) => world
                .process_at_rank(root as i32)
                .broadcast_into(&mut bytes[..]),
            Transport::Threads(shared) => {
                let mine: Vec<f64> = bytes.iter().map(|&b| b as f64).collect();
                let all = self.exchange(shared, mine);
                bytes = all[root].iter().map(|&b| b as u8).collect();
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Threads: put `mine` in this rank's slot and read every slot, between barriers.
    fn exchange(&self, shared: &Shared, mine: Vec<f64>) -> Vec<Vec<f64>> {
        shared.slots.lock().unwrap()[self.rank] = mine;
        shared.barrier.wait();
        let all = shared.slots.lock().unwrap().clone();
        shared.barrier.wait();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_sum_max_and_broadcast_agree_on_every_rank() {
        let out = Comm::threads(3, |c| {
            let r = c.rank() as f64;
            let mut s = [r, 1.0];
            c.sum(&mut s);
            let mut m = [r, -r];
            c.max(&mut m);
            let mut b = [r + 10.0];
            c.broadcast(2, &mut b);
            let text = c.broadcast_text(1, &format!("from {}", c.rank()));
            (s, m, b, text, c.traffic())
        });
        for (s, m, b, text, t) in out {
            assert_eq!(s, [3.0, 3.0]);
            assert_eq!(m, [2.0, 0.0]);
            assert_eq!(b, [12.0]);
            assert_eq!(text, "from 1");
            assert_eq!(t.rounds, 5);
            assert_eq!(t.bytes, 8 * 5 + 8 + 6);
        }
    }
}
