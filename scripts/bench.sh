#!/usr/bin/env bash
# Native benchmark: switchboard's ingest and parse+index throughput on generated logs, compared with
# lnav on the same files, plus the browser half when tests/e2e/bench.mjs exists.
#
#   scripts/bench.sh [SIZE]        SIZE: 100MiB (default), 1GiB, 500MB, …
#   RUNS=5 scripts/bench.sh 1GiB   number of timed runs per tool (median reported)
#   NO_LNAV=1 scripts/bench.sh     skip the lnav comparison
#
# Data goes to bench-data/ (gitignored) and is generated only when missing. Throughput is MB/s
# (10^6 bytes) of uncompressed text; peak memory is the process's VmHWM (or GNU time's max RSS for
# lnav), also given as a multiple of the uncompressed size.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-100MiB}"
RUNS="${RUNS:-3}"
TAG="$(echo "$SIZE" | tr 'A-Z' 'a-z' | sed -e 's/ib$//' -e 's/b$//')"
DATA="bench-data"
ZIP="$DATA/bench-$TAG.zip"
DIR="$DATA/bench-$TAG"
BIN="target/release/switchboard"

echo "== build (release)"
cargo build --release --quiet --bin switchboard

mkdir -p "$DATA"
if [[ ! -s "$ZIP" || ! -d "$DIR" ]]; then
  echo "== generate $SIZE into $ZIP and $DIR/"
  rm -rf "$DIR" "$ZIP"
  "$BIN" gen-bench --size "$SIZE" --out "$ZIP" --folder "$DIR"
fi
BYTES=$(du -sb --apparent-size "$DIR" | cut -f1)
NFILES=$(find "$DIR" -type f | wc -l)
echo "   $NFILES files, $BYTES bytes uncompressed, zip $(du -b "$ZIP" | cut -f1) bytes"

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
jget() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

echo "== machine"
echo "   $(uname -srm); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(free -g | awk '/Mem:/ {print $2" GiB RAM"}')"
echo "   date $(date -u +%Y-%m-%dT%H:%MZ); switchboard $("$BIN" --version | cut -d' ' -f2)"

run_measure() { # $1 = path; prints one JSON line per run into $2
  : > "$2"
  for _ in $(seq "$RUNS"); do "$BIN" gen-bench --measure "$1" >> "$2"; done
}

summ() { # $1 = jsonl file, $2 = key → median
  python3 - "$1" "$2" <<'EOF'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
v = [r[sys.argv[2]] for r in rows if r.get(sys.argv[2]) is not None]
print(statistics.median(v) if v else 0)
EOF
}

for what in zip folder; do
  path="$ZIP"; [[ $what == folder ]] && path="$DIR"
  echo "== switchboard on the $what ($RUNS runs, medians)"
  out="$DATA/measure-$TAG-$what.jsonl"
  run_measure "$path" "$out"
  text=$(summ "$out" text_bytes)
  printf '   files %s  records %s  text %s bytes\n' "$(summ "$out" files)" "$(summ "$out" records)" "$text"
  printf '   ingest (read, unzip, decode, split lines): %6.2f s  %7.1f MB/s\n' "$(summ "$out" ingest_s)" "$(summ "$out" ingest_mb_s)"
  printf '   parse (formats, index entries):            %6.2f s  %7.1f MB/s\n' "$(summ "$out" parse_s)" "$(summ "$out" parse_mb_s)"
  printf '   timeline (clocks, UTC, order):             %6.2f s  %7.1f MB/s\n' "$(summ "$out" timeline_s)" "$(summ "$out" timeline_mb_s)"
  printf '   parse+index (timeline ready):              %6.2f s  %7.1f MB/s\n' "$(python3 -c "print($(summ "$out" parse_s)+$(summ "$out" timeline_s))")" "$(summ "$out" parse_timeline_mb_s)"
  ready=$(python3 -c "print($(summ "$out" ingest_s)+$(summ "$out" parse_s)+$(summ "$out" timeline_s))")
  printf '   ingest+parse+index (timeline on screen):   %6.2f s  %7.1f MB/s\n' "$ready" "$(python3 -c "print(round($text/1e6/$ready,1) if $ready>0 else 0)")"
  printf '   analyze (decode all, IDs, flows, findings):%6.2f s  %7.1f MB/s\n' "$(summ "$out" analyze_s)" "$(summ "$out" analyze_mb_s)"
  printf '   end to end:                                %6.2f s  %7.1f MB/s\n' "$(summ "$out" total_s)" "$(summ "$out" end_to_end_mb_s)"
  tpeak=$(summ "$out" peak_rss_timeline_bytes)
  printf '   peak RSS with the timeline ready %.0f MiB = %.2fx the uncompressed text\n' "$(python3 -c "print($tpeak/1048576)")" "$(summ "$out" peak_rss_timeline_x_text)"
  peak=$(summ "$out" peak_rss_bytes)
  printf '   peak RSS at the end %.0f MiB = %.2fx the uncompressed text\n' "$(python3 -c "print($peak/1048576)")" "$(summ "$out" peak_rss_x_text)"
  [[ $what == folder ]] && SB_E2E=$(summ "$out" end_to_end_mb_s) && SB_PI=$(summ "$out" parse_timeline_mb_s) && SB_TOTAL=$(summ "$out" total_s) \
    && SB_READY=$(python3 -c "print(round($text/1e6/$ready,1) if $ready>0 else 0)")
done

# --- lnav ------------------------------------------------------------------------------------
if [[ -z "${NO_LNAV:-}" ]] && ! command -v lnav >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing lnav (apt-get install -y lnav)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lnav >/dev/null 2>&1 || echo "   could not install lnav"
  else
    echo "== lnav not installed and apt-get not usable here; skipping the comparison"
  fi
fi
if [[ -z "${NO_LNAV:-}" ]] && command -v lnav >/dev/null 2>&1; then
  echo "== lnav $(lnav -V 2>/dev/null | head -1 | awk '{print $2}') on the folder ($RUNS runs, medians): lnav -n -c ';SELECT count(*) FROM all_logs'"
  # lnav reads its config and index from HOME; give it a fresh one so runs do not share state.
  # lnav 0.11 in headless mode counts 0 rows when given a folder, so it is given the files.
  # It only counts lines of formats it recognises (access_log, generic_log here): compare its row
  # count with switchboard's records before trusting the ratio.
  LNHOME=$(mktemp -d)
  : > "$DATA/lnav-$TAG.times"
  mapfile -t FILES < <(find "$DIR" -type f | sort)
  for _ in $(seq "$RUNS"); do
    rm -rf "$LNHOME/.lnav" "$LNHOME/.config"
    /usr/bin/time -f '%e %M' -o "$DATA/lnav-$TAG.one" env HOME="$LNHOME" lnav -n -c ';SELECT count(*) FROM all_logs' "${FILES[@]}" > "$DATA/lnav-$TAG.out" 2>&1 || true
    cat "$DATA/lnav-$TAG.one" >> "$DATA/lnav-$TAG.times"
  done
  rm -rf "$LNHOME"
  LN_S=$(cut -d' ' -f1 "$DATA/lnav-$TAG.times" | median)
  LN_KB=$(cut -d' ' -f2 "$DATA/lnav-$TAG.times" | median)
  LN_MBS=$(python3 -c "print(round($BYTES/1e6/$LN_S,1) if $LN_S>0 else 0)")
  echo "   lnav answered: $(tr '\n' ' ' < "$DATA/lnav-$TAG.out" | cut -c1-120)"
  printf '   lnav: %.2f s  %.1f MB/s  peak RSS %.0f MiB = %.2fx\n' "$LN_S" "$LN_MBS" "$(python3 -c "print($LN_KB/1024)")" "$(python3 -c "print($LN_KB*1024/$BYTES)")"
  echo "== ratio (same run, folder input, whole-process wall time of lnav vs switchboard's in-process phases)"
  printf '   switchboard parse+index: %.1f MB/s; timeline on screen (ingest+parse+index): %.1f MB/s; end to end: %.1f MB/s\n' "$SB_PI" "$SB_READY" "$SB_E2E"
  printf '   lnav: %.1f MB/s; ratio parse+index %.1fx, timeline on screen %.1fx, end to end %.1fx\n' "$LN_MBS" \
    "$(python3 -c "print($SB_PI/$LN_MBS if $LN_MBS>0 else 0)")" "$(python3 -c "print($SB_READY/$LN_MBS if $LN_MBS>0 else 0)")" "$(python3 -c "print($SB_E2E/$LN_MBS if $LN_MBS>0 else 0)")"
  # Whole process against whole process (includes start-up and the JSON print of the measure).
  : > "$DATA/sb-$TAG.times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$DATA/sb-$TAG.one" "$BIN" gen-bench --measure "$DIR" > /dev/null
    cat "$DATA/sb-$TAG.one" >> "$DATA/sb-$TAG.times"
  done
  SBW=$(cut -d' ' -f1 "$DATA/sb-$TAG.times" | median)
  printf '   whole process: switchboard %.2f s, lnav %.2f s, ratio %.1fx\n' "$SBW" "$LN_S" "$(python3 -c "print($LN_S/$SBW if $SBW>0 else 0)")"
fi

# --- browser half ----------------------------------------------------------------------------
if [[ -f tests/e2e/bench.mjs ]]; then
  [[ -f dist/switchboard.html ]] || scripts/build.sh
  echo "== browser (worker) throughput: node tests/e2e/bench.mjs $ZIP"
  node tests/e2e/bench.mjs "$ZIP" "${RUNS}" | tee "$DATA/browser-$TAG.out"
  if [[ -n "${LN_MBS:-}" ]]; then
    # The browser's phases against lnav's whole run on the same files, in this run.
    python3 - "$DATA/browser-$TAG.out" "$LN_MBS" <<'PY'
import json, sys
b = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
ln = float(sys.argv[2])
if ln > 0:
    print(f"   browser against lnav ({ln} MB/s): ingest {b['browser_ingest_mb_s'] / ln:.1f}x, parse + index {b['browser_parse_index_mb_s'] / ln:.1f}x, timeline ready (all of it) {b['browser_index_mb_s'] / ln:.1f}x")
PY
  fi
else
  echo "== browser half skipped: tests/e2e/bench.mjs does not exist yet"
fi
