#!/usr/bin/env bash
# `make dev`: installs what is missing, then runs the sandbox (8788), the proxy (8787) and
# `trunk serve` (8080) together. Ctrl-C stops all three and everything they started.
# Other ports: DOLLR_DEV_PORT (the demo), DOLLR_DEV_PROXY_PORT, DOLLR_DEV_SANDBOX_PORT; another
# directory for trunk's build: DOLLR_DEV_DIST (target/dev-dist).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

web_port=${DOLLR_DEV_PORT:-8080}
proxy_port=${DOLLR_DEV_PROXY_PORT:-8787}
sandbox_port=${DOLLR_DEV_SANDBOX_PORT:-8788}
dist=${DOLLR_DEV_DIST:-target/dev-dist}
# The port in setting $1 (value $2) is a port number, and free.
check_port() {
  if ! [[ "$2" =~ ^[1-9][0-9]{0,4}$ ]] || [ "$2" -gt 65535 ]; then
    echo "dev: $1 must be a port number from 1 to 65535, not \"$2\"." >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
    echo "dev: port $2 is already in use; stop whatever listens there (another make dev?), or set $1 to another port, and retry." >&2
    exit 1
  fi
}
check_port DOLLR_DEV_PORT "$web_port"
check_port DOLLR_DEV_PROXY_PORT "$proxy_port"
check_port DOLLR_DEV_SANDBOX_PORT "$sandbox_port"

echo "dev: building the sandbox and the proxy"
cargo build -q -p dollr-sandbox -p dollr-proxy

pids=()
stopping=0
stop() {
  stopping=1
  # Ignore a further TERM until everything is stopped: make forwards SIGTERM to this script, so a
  # TERM sent to the whole group arrives twice and must not cut the cleanup short. Ctrl-C pressed
  # again is passed on to the proxy and the sandbox, which then stop without waiting for the
  # payments and calls in flight.
  trap '' TERM
  trap 'kill -INT -- "-$proxy_pid" "-${pids[0]}" 2>/dev/null || true' INT
  trap - EXIT
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    # `wait` returns when Ctrl-C's trap runs: wait again until the process is gone.
    while kill -0 "$pid" 2>/dev/null; do wait "$pid" 2>/dev/null || true; done
  done
  echo "dev: stopped sandbox, proxy and trunk"
}
trap stop INT TERM EXIT

# Each in its own process group, so stopping it also stops its children (trunk's cargo runs).
setsid env DOLLR_SANDBOX_ADDR=127.0.0.1:$sandbox_port target/debug/dollr-sandbox &
pids+=($!)
# The proxy checks its credentials with Dollr as it starts: the sandbox listens first.
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$sandbox_port") 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "dev: the sandbox exited early" >&2; exit 1; }
  sleep 0.1
done
setsid env DOLLR_PROXY_ADDR=127.0.0.1:$proxy_port DOLLR_SANDBOX_URL=http://127.0.0.1:$sandbox_port \
  DOLLR_ALLOWED_ORIGINS=http://127.0.0.1:$web_port,http://localhost:$web_port target/debug/dollr-proxy &
proxy_pid=$!
pids+=($proxy_pid)
# Its debug build goes to target/dev-dist (or DOLLR_DEV_DIST): dist/ keeps the release build, which the end-to-end
# tests, the benchmark and the files merchants host come from. The demo's calls to /api/ are
# forwarded to the proxy.
setsid trunk serve --port "$web_port" --address 127.0.0.1 --dist "$dist" \
  --proxy-backend "http://127.0.0.1:$proxy_port/api/" &
pids+=($!)

for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$web_port/" 2>/dev/null; then break; fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "dev: a server exited early" >&2; exit 1; }; done
  sleep 1
done
cat <<MSG

  dollr-checkout demo:  http://127.0.0.1:$web_port
  static shop (CSP):    http://127.0.0.1:$web_port/shop/
  proxy (widget API):   http://127.0.0.1:$proxy_port/api/dollr
  sandbox (Dollr API):  http://127.0.0.1:$sandbox_port/v1   ledger: /__sandbox/ledger

  Ctrl-C stops everything.
MSG
wait -n "${pids[@]}" || true
[ "$stopping" = 1 ] || echo "dev: a server stopped; shutting down the others" >&2
