#!/usr/bin/env bash
# `make dev`: installs what is missing, then runs the sandbox (8788), the proxy (8787) and
# `trunk serve` (8080) together. Ctrl-C stops all three and everything they started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

for port in 8080 8787 8788; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "dev: port $port is already in use; stop whatever listens there (another make dev?) and retry." >&2
    exit 1
  fi
done

echo "dev: building the sandbox and the proxy"
cargo build -q -p dollr-sandbox -p dollr-proxy

pids=()
stopping=0
stop() {
  stopping=1
  # Ignore further signals until everything is stopped: make forwards SIGTERM to this script,
  # so a TERM sent to the whole group arrives twice and must not cut the cleanup short.
  trap '' INT TERM
  trap - EXIT
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "dev: stopped sandbox, proxy and trunk"
}
trap stop INT TERM EXIT

# Each in its own process group, so stopping it also stops its children (trunk's cargo runs).
setsid env DOLLR_SANDBOX_ADDR=127.0.0.1:8788 target/debug/dollr-sandbox &
pids+=($!)
setsid env DOLLR_PROXY_ADDR=127.0.0.1:8787 DOLLR_SANDBOX_URL=http://127.0.0.1:8788 \
  DOLLR_ALLOWED_ORIGINS=http://127.0.0.1:8080,http://localhost:8080 target/debug/dollr-proxy &
pids+=($!)
# Its debug build goes to target/dev-dist: dist/ keeps the release build, which the end-to-end
# tests, the benchmark and the files merchants host come from.
setsid trunk serve --port 8080 --address 127.0.0.1 --dist target/dev-dist &
pids+=($!)

for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null http://127.0.0.1:8080/ 2>/dev/null; then break; fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "dev: a server exited early" >&2; exit 1; }; done
  sleep 1
done
cat <<MSG

  dollr-checkout demo:  http://127.0.0.1:8080
  static shop (CSP):    http://127.0.0.1:8080/shop/
  proxy (widget API):   http://127.0.0.1:8787/api/dollr
  sandbox (Dollr API):  http://127.0.0.1:8788/v1   ledger: /__sandbox/ledger

  Ctrl-C stops everything.
MSG
wait -n "${pids[@]}" || true
[ "$stopping" = 1 ] || echo "dev: a server stopped; shutting down the others" >&2
