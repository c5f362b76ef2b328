#!/usr/bin/env bash
# Work to reach distance ≤ 1e-8 from the equilibrium of a seeded bilinear game (n = 100), for
# CGD and the simultaneous methods, each at the best step size of a sweep. Work counts gradient
# evaluations plus Hessian-vector-sized products (each ≈ one gradient).
#
#   bash bench/games/bilinear_work.sh            # σ(A) uniform in [1, 2] and in [0.2, 2]
#   OPTML=target/release/optml bash bench/games/bilinear_work.sh
set -euo pipefail
OPTML=${OPTML:-target/release/optml}
[ -x "$OPTML" ] || cargo build --release -q -p optml-cli
SEED=${SEED:-1}
run() { # sigma_min method lr -> "work distance" or "- -" if not converged
  local out
  out=$("$OPTML" game --synthetic bilinear --sigma-min "$1" --method "$2" --lr "$3" \
        --tol 1e-9 --max-iter 100000 --seed "$SEED" -q 2>&1) || true
  if grep -q converged <<<"$out"; then
    local d g m p
    d=$(sed -n 's/^distance \(.*\)/\1/p' <<<"$out")
    read -r g m p < <(sed -n 's/^work: \([0-9]*\) gradient evaluations, \([0-9]*\) mixed products, \([0-9]*\) pure.*/\1 \2 \3/p' <<<"$out")
    awk -v d="$d" 'BEGIN { exit !(d <= 1e-8) }' && { echo "$((g + m + p)) $g $m $p"; return; }
  fi
  echo "- - - -"
}
printf '%-10s %-14s %-6s %8s %8s %8s %8s\n' "σ_min" method "best η" work grads mixed pure
for sm in 1 0.2; do
  for method in cgd extragradient ogda sga conopt gda; do
    case $method in
      cgd) lrs="0.5 1 2 5 10 20 50" ;;
      *) lrs="0.05 0.1 0.2 0.3 0.4 0.45" ;;
    esac
    best="- - - -"; best_lr=-
    for lr in $lrs; do
      r=$(run "$sm" "$method" "$lr")
      w=${r%% *}
      if [ "$w" != "-" ] && { [ "${best%% *}" = "-" ] || [ "$w" -lt "${best%% *}" ]; }; then
        best=$r; best_lr=$lr
      fi
    done
    read -r w g m p <<<"$best"
    printf '%-10s %-14s %-6s %8s %8s %8s %8s\n' "$sm" "$method" "$best_lr" "$w" "$g" "$m" "$p"
  done
done
