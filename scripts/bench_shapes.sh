#!/usr/bin/env bash
# Growth benchmark over bundle shapes we did not tune for (issue 13): for every shape, the same
# generator at 1×, 2× and 4× a base size, timed in ONE run so the ratios compare like with like.
#
#   scripts/bench_shapes.sh [BASE_MB]          BASE_MB: 25 (default) → 25, 50 and 100 MB per shape
#   SHAPES="hot many" scripts/bench_shapes.sh  only some shapes (incidents hot many day small)
#   BROWSER=1 scripts/bench_shapes.sh          also load the 1× zip of each shape in headless Chromium
#   BROWSER=1 BROWSER_MB="25 100" scripts/bench_shapes.sh   … the zips of these sizes (of 1×, 2×, 4×)
#   NO_LNAV=1 scripts/bench_shapes.sh          skip lnav on the 1× folder of each shape
#   RUNS=3 scripts/bench_shapes.sh             native runs per size (default 5; the fastest is used)
#
# Shapes (src/bench/shapes.rs): incidents = the demo incident repeated across many small files;
# hot = one agent/task/session ID pair reused all day, few big files (one folder a day);
# many = a different agent, task and session on nearly every line; day = 24 h BOSH polls every
# 30 s with state changes (one long session per agent); small = many's logs rolled every 16 KiB
# (thousands of small files in the same folders).
# Per size it prints: files, records, the whole analysis (ingest → flows and findings) in s and
# MB/s, the fastest of RUNS runs with their median and slowest (other work on a shared machine
# only ever adds time, and one run on this VM moved by a quarter from one minute to the next), how
# the fastest grew against the size below (≤ 2.2× per doubling is linear enough), peak RSS as a
# multiple of the text (the most of the runs), and `analyze --json`'s peak RSS (the CLI streams
# its JSON).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-25}"
RUNS="${RUNS:-5}"
SHAPES="${SHAPES:-incidents hot many day small}"
BIN="target/release/switchboard"
DATA="bench-data/shapes"
mkdir -p "$DATA"
cargo build --release --quiet --bin switchboard
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2" GiB"}'), load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); switchboard $("$BIN" --version | cut -d' ' -f2)"
printf '%-10s %6s %6s %9s %8s %11s %8s %7s %9s %9s\n' shape MB files records total_s "(med, max)" MB/s growth peak_x json_x
for shape in $SHAPES; do
  prev=""
  for mult in 1 2 4; do
    mb=$((BASE * mult))
    dir="$DATA/$shape-$mb"
    if [[ ! -d "$dir" ]]; then
      "$BIN" gen-bench --shape "$shape" --size "${mb}MB" --out "$dir.zip" --folder "$dir" > /dev/null
    fi
    bytes=$(du -sb --apparent-size "$dir" | cut -f1)
    runs=()
    for _ in $(seq "$RUNS"); do runs+=("$("$BIN" gen-bench --measure "$dir")"); done
    m=$(python3 -c '
import json, sys
runs = [json.loads(r) for r in sys.argv[1:]]
runs.sort(key=lambda r: r["total_s"])
m = runs[0]
m["median_s"], m["max_s"] = runs[len(runs) // 2]["total_s"], runs[-1]["total_s"]
m["peak_rss_x_text"] = max(r["peak_rss_x_text"] or 0 for r in runs)
print(json.dumps(m))' "${runs[@]}")
    /usr/bin/time -f '%M' -o "$DATA/json.rss" "$BIN" analyze --json "$dir" > /dev/null 2>&1 || true
    json_kb=$(tail -1 "$DATA/json.rss")
    python3 - "$m" "$shape" "$mb" "$bytes" "$json_kb" "${prev:-0}" <<'PY'
import json, sys
m = json.loads(sys.argv[1]); shape, mb, text, json_kb, prev = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
t = m["total_s"]
growth = f"{t / prev:.2f}x" if prev > 0 else "-"
spread = f"{m['median_s']:.2f}, {m['max_s']:.2f}"
print(f"{shape:<10} {mb:>6} {m['files']:>6} {m['records']:>9} {t:>8.2f} {spread:>11} {text / 1e6 / t:>8.1f} {growth:>7} {m['peak_rss_x_text']:>8.2f}x {json_kb * 1024 / text:>8.2f}x")
PY
    prev=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['total_s'])" "$m")
  done
done

if [[ -z "${NO_LNAV:-}" ]] && command -v lnav >/dev/null 2>&1; then
  echo "== lnav on the 1× folder of each shape (whole process, same run): lnav -n -c ';SELECT count(*) FROM all_logs'"
  for shape in $SHAPES; do
    dir="$DATA/$shape-$BASE"
    mapfile -t FILES < <(find "$dir" -type f | sort)
    home=$(mktemp -d)
    /usr/bin/time -f '%e %M' -o "$DATA/lnav.one" env HOME="$home" lnav -n -c ';SELECT count(*) FROM all_logs' "${FILES[@]}" > /dev/null 2>&1 || true
    rm -rf "$home"
    /usr/bin/time -f '%e %M' -o "$DATA/sb.one" "$BIN" analyze --json "$dir" > /dev/null 2>&1 || true
    read -r ls lkb < "$DATA/lnav.one"
    read -r ss skb < "$DATA/sb.one"
    python3 -c "
ls, lkb, ss, skb = $ls, $lkb, $ss, $skb
print(f'   {\"$shape\":<10} lnav {ls:6.2f} s {lkb/1024:7.0f} MiB | switchboard analyze --json {ss:6.2f} s {skb/1024:7.0f} MiB | time ratio {ss/ls if ls else 0:.1f}x, memory ratio {skb/lkb if lkb else 0:.1f}x')"
  done
fi

if [[ -n "${BROWSER:-}" ]]; then
  [[ -f dist/switchboard.html ]] || scripts/build.sh
  for shape in $SHAPES; do
    for mb in ${BROWSER_MB:-$BASE}; do
      echo "== browser, $shape at ${mb} MB: node tests/e2e/bench.mjs $DATA/$shape-$mb.zip 1"
      node tests/e2e/bench.mjs "$DATA/$shape-$mb.zip" 1 | tail -3
    done
  done
fi
