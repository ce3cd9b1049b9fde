#!/usr/bin/env bash
# `make test`: installs what is missing, then runs every tier and ends with a size report.
#   1. rustfmt check       2. clippy -D warnings, native and wasm32, and the TypeScript
#                             declarations type-checked as a merchant's project uses them
#   3. native tests        4. headless-browser tests (wasm-bindgen-test in Chromium)
#   5. release trunk build 6. end-to-end tests (Playwright + Chromium, real proxy and sandbox)
#   7. end-to-end tests in WebKit and Firefox (WebKitGTK over WebDriver, Firefox ESR over
#      WebDriver BiDi; under xvfb-run where there is no display), and in Chromium 64, the
#      browser floor's Chrome (over the DevTools protocol)
# A tier that runs zero tests fails the command.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/setup.sh
source scripts/env.sh
setup_done=$(date +%s)

logs=target/test-logs
mkdir -p "$logs"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31mtest: %s\033[0m\n' "$*" >&2; exit 1; }

# Sums "test result: ok. N passed; M failed" lines of cargo test output.
count_cargo() { awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { printf "%d %d\n", p, f }' "$1"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --workspace --all-targets -q -- -D warnings

step "clippy (wasm32)"
cargo clippy -p dollr-checkout -p dollr-api --target wasm32-unknown-unknown --all-targets -q -- -D warnings

step "TypeScript declarations (tsc)"
node_modules/.bin/tsc -p tests/types

step "native tests"
cargo test --workspace 2>&1 | tee "$logs/native.log"
read -r native_passed native_failed < <(count_cargo "$logs/native.log")
[ "$native_failed" = 0 ] || fail "native tests failed"
[ "$native_passed" -gt 0 ] || fail "the native tier ran no tests"

step "headless-browser tests (Chromium)"
cargo build -q -p dollr-proxy -p dollr-sandbox
browser_proxy_port=18797
browser_server=127.0.0.1:18790
DOLLR_PROXY_ADDR=127.0.0.1:$browser_proxy_port DOLLR_SANDBOX_ADDR=127.0.0.1:18798 \
  DOLLR_ALLOWED_ORIGINS=http://$browser_server RUST_LOG=warn \
  target/debug/dollr-proxy > "$logs/browser-proxy.log" 2>&1 &
browser_proxy=$!
trap 'kill $browser_proxy 2>/dev/null || true' EXIT
up=0
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$browser_proxy_port") 2>/dev/null; then up=1; break; fi
  sleep 0.2
done
[ "$up" = 1 ] || { cat "$logs/browser-proxy.log" >&2; fail "the proxy for the browser tests did not start"; }
WASM_BINDGEN_TEST_ADDRESS=$browser_server WASM_BINDGEN_TEST_TIMEOUT=120 \
  DOLLR_TEST_PROXY=http://127.0.0.1:$browser_proxy_port/api/dollr \
  cargo test -p dollr-checkout --target wasm32-unknown-unknown 2>&1 | tee "$logs/browser.log"
kill $browser_proxy 2>/dev/null || true
trap - EXIT
read -r browser_passed browser_failed < <(count_cargo "$logs/browser.log")
[ "$browser_failed" = 0 ] || fail "headless-browser tests failed"
[ "$browser_passed" -gt 0 ] || fail "the headless-browser tier ran no tests"

step "release build (trunk)"
bash scripts/build-release.sh 2>&1 | tail -n 3

# Runs Playwright with config "$1" (in tests/e2e), logging to "$2", under the command "${@:3}" if
# any; fails unless some tests pass and none fail. Prints the number passed.
run_playwright() {
  local config=$1 log=$2 passed failed
  shift 2
  (cd tests/e2e && "$@" ../../node_modules/.bin/playwright test -c "$config") 2>&1 | tee "$log" >&2
  passed=$(grep -Eo '^ +[0-9]+ passed' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
  failed=$(grep -Eo '^ +[0-9]+ failed' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
  if [ -n "$failed" ]; then
    # The failures' titles and first lines again, where the end of a long log shows them.
    echo "failed (each error in full is above):" >&2
    grep -E '^ +[0-9]+\) |^ +[A-Za-z]*Error: ' "$log" | sed 's/ ─*$//' | cut -c1-400 >&2 || true
    fail "end-to-end tests failed ($config)"
  fi
  [ "${passed:-0}" -gt 0 ] || fail "the end-to-end tier ran no tests ($config)"
  echo "$passed"
}

step "end-to-end tests (Playwright, Chromium)"
e2e_passed=$(run_playwright playwright.config.mjs "$logs/e2e.log")

step "end-to-end tests (WebKit, Firefox and Chromium 64, over WebDriver, WebDriver BiDi and DevTools)"
# MiniBrowser draws on a display: a virtual one where there is none.
display=()
[ -n "${DISPLAY:-}" ] || display=(xvfb-run -a)
engines_passed=$(run_playwright engines.config.mjs "$logs/e2e-engines.log" "${display[@]}")

step "size report"
node scripts/size-report.mjs dist/cdn

finished=$(date +%s)
total_passed=$((native_passed + browser_passed + e2e_passed + engines_passed))
cat <<SUMMARY

tiers: native $native_passed passed · headless-browser $browser_passed passed · end-to-end $e2e_passed passed · WebKit, Firefox and Chromium 64 $engines_passed passed
time: setup $((setup_done - started))s, total $((finished - started))s
$total_passed passed, 0 failed
SUMMARY
