#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and prints executions and crashes per target.
#
#   scripts/fuzz.sh SECONDS [TARGET...]     (default targets: all in fuzz/fuzz_targets)
#
# Needs the nightly toolchain; installs cargo-fuzz if it is missing. Seeds the `archive` and
# `session` corpora with a few small real containers (zip, tar.gz, gz) when python3 is around.
# Exit status: 0 if no target crashed, 1 otherwise. Crash inputs land in fuzz/artifacts/TARGET/.
set -u
secs="${1:-}"
if ! [[ "$secs" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2
  exit 2
fi
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz" || exit 2

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz.sh: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz >/dev/null || exit 2
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi

# Seeds: small valid containers give the archive fuzzer a head start.
if command -v python3 >/dev/null 2>&1; then
  for t in archive session; do
    mkdir -p "corpus/$t"
    python3 - "corpus/$t" <<'PY'
import gzip, io, sys, tarfile, zipfile, os
d = sys.argv[1]
log = b"2026-01-02 10:00:00.001 INFO ctisvr line one\n10:00:01.002 second line\r\n"
def w(name, data):
    with open(os.path.join(d, name), "wb") as f: f.write(data)
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("logs/a.log", log); z.writestr("logs/b.log", log[:20])
w("seed.zip", b.getvalue())
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_STORED) as z:
    z.writestr("a.log", log)
w("seed-stored.zip", b.getvalue())
t = io.BytesIO()
with tarfile.open(fileobj=t, mode="w") as tf:
    ti = tarfile.TarInfo("var/log/a.log"); ti.size = len(log); tf.addfile(ti, io.BytesIO(log))
w("seed.tar", t.getvalue())
w("seed.tar.gz", gzip.compress(t.getvalue()))
w("seed.log.gz", gzip.compress(log))
w("seed.log", log)
w("seed-utf16.log", b"\xff\xfe" + log.decode().encode("utf-16-le"))
PY
  done
fi

status=0
printf '%-14s %14s %8s\n' target executions crashes
for t in "${targets[@]}"; do
  log="$(mktemp)"
  cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2560 -timeout=20 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)"
  [ -z "$execs" ] && execs="$(grep -Eo '^Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -1)"
  [ -z "$execs" ] && execs="$(grep -Eo '^#[0-9]+' "$log" | tr -d '#' | tail -1)"
  crashes=0
  if [ $rc -ne 0 ]; then
    crashes="$(grep -c 'Test unit written to' "$log")"
    [ "$crashes" -eq 0 ] && crashes="build/run error"
    status=1
    echo "---- $t failed (exit $rc); last lines of its log:" >&2
    tail -40 "$log" >&2
  fi
  printf '%-14s %14s %8s\n' "$t" "${execs:-?}" "$crashes"
  rm -f "$log"
done
exit $status
