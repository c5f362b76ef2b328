#!/usr/bin/env bash
# Communication rounds, bytes and seconds of every distributed solver on an rcv1-like set with
# 4 MPI ranks, to 1e-8 relative suboptimality, and a simulated-scaling note for 16–256 ranks.
#
#   bash bench/mpi/run.sh [N D NNZ_PER_ROW]      (default 40000 2000 40: n/(4·d) = 5, as rcv1
#                                                has n/(4·d) = 3.6 with its 677k rows, 47k features)
#   PROFILE=dev bash bench/mpi/run.sh            (the test build, opt-level 1: same rounds and
#                                                bytes, slower seconds)
#
# Needs OpenMPI (libopenmpi-dev, openmpi-bin, libclang-dev). Writes bench/mpi/data/ (the set),
# bench/mpi/out/ (one trace per solver) and bench/mpi/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-40000}; D=${2:-2000}; NNZ=${3:-40}; NP=4
export CARGO_PROFILE_DEV_DEBUG=0
PROFILE=${PROFILE:-release}
cargo build --profile "$PROFILE" -q -p optml-mpi --bin optml-mpi --example rcv1like
DIR=target/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
mkdir -p bench/mpi/data bench/mpi/out
DATA=bench/mpi/data/rcv1like-$N-$D-$NNZ.svm
[ -f "$DATA" ] || "$DIR"/examples/rcv1like "$DATA" "$N" "$D" "$NNZ" 1
MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np "$NP")
BIN=$DIR/optml-mpi
run() {  # solver, tol, trace name
  "${MPIRUN[@]}" "$BIN" train "$DATA" --loss logistic -C 1 --solver "$1" --tol "$2" \
    --max-iter 5000 --quiet --threads 1 --trace "bench/mpi/out/$3.csv"
}
# The optimum: Newton-CG to 1e-13 relative gradient.
run newton-cg 1e-13 reference
for s in dino giant disco newton-cg trust-region lbfgs; do
  run "$s" 1e-11 "$s"
done
python3 bench/mpi/table.py "$DATA" "$NP" "$PROFILE" | tee bench/mpi/results.md
