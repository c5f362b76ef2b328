#!/usr/bin/env bash
# Modes of the 8-Gaussian mixture (radius 2, σ = 0.02) covered by a GAN trained with CGD and with
# GDA at the same step sizes, over seeds. A mode is covered when ≥ 1 % of 10 000 generated samples
# fall within 3σ of its centre; "hq" is the median fraction of samples within 3σ of some centre.
# Each run plays on one fixed seeded batch (--batch real and latent samples); the seed sets the
# batch, the networks' initialization and the fresh samples of the report.
#
#   bash bench/games/gan_mog.sh
#   LRS="0.5 1.0" ITERS=3000 FIG=bench/games/figures bash bench/games/gan_mog.sh
set -euo pipefail
OPTML=${OPTML:-target/release/optml}
[ -x "$OPTML" ] || cargo build --release -q -p optml-cli
SEEDS=${SEEDS:-"1 2 3 4 5 6 7 8 9 10"}
LRS=${LRS:-"0.5"}
METHODS=${METHODS:-"cgd gda"}
ITERS=${ITERS:-3000}
DIM=${DIM:-16}
BATCH=${BATCH:-128}
CG_TOL=${CG_TOL:-1e-4}
FIG=${FIG:-}   # a folder: write the first seed's samples plot of each method and step there
printf '%-6s %-5s %-32s %-8s %-8s %-8s\n' method η "modes covered per seed" "all 8" "med hq" seconds
for lr in $LRS; do
  for method in $METHODS; do
    covered=(); hqs=(); all=0; start=$(date +%s.%N)
    for seed in $SEEDS; do
      plot=()
      if [ -n "$FIG" ] && [ "$seed" = "${SEEDS%% *}" ]; then
        plot=(--plot "$FIG/gan-$method-lr$lr.png")
      fi
      out=$("$OPTML" game --synthetic gan-mog --dim "$DIM" --batch "$BATCH" --method "$method" \
            --lr "$lr" --max-iter "$ITERS" --tol 0 --cg-tol "$CG_TOL" --seed "$seed" -q \
            "${plot[@]}" 2>&1) || { echo "$out" >&2; exit 1; }
      c=$(sed -n 's/^modes covered \([0-9]*\) of 8$/\1/p' <<<"$out")
      h=$(sed -n 's/^high-quality fraction \(.*\)$/\1/p' <<<"$out")
      covered+=("$c"); hqs+=("$h")
      [ "$c" = 8 ] && all=$((all + 1))
    done
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    med=$(printf '%s\n' "${hqs[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    printf '%-6s %-5s %-32s %-8s %-8s %-8s\n' "$method" "$lr" "${covered[*]}" "$all/$(wc -w <<<"$SEEDS")" "$med" "$secs"
  done
done
