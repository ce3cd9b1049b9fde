#!/usr/bin/env bash
# Installs what dollr-checkout needs to build and test, skipping whatever is already there at
# the right version. Everything comes from the Rust crate registry, npm and Debian's packages;
# nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31msetup:\033[0m %s\n' "$*" >&2; exit 1; }
started=$(date +%s)

command -v cargo >/dev/null && command -v rustup >/dev/null \
  || fail "Rust is missing: install rustup (https://rustup.rs) with the stable toolchain, then re-run."
command -v node >/dev/null && command -v npm >/dev/null \
  || fail "Node.js 20+ and npm are missing: install them (Debian: sudo apt-get install nodejs npm), then re-run."

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The nightly toolchain with the standard library's source, for release builds only
#     (scripts/build-release.sh rebuilds std so that panics ship no messages).
nightly="${DOLLR_NIGHTLY:-nightly}"
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1; then
  say "installing the $nightly toolchain (release builds of the wasm)"
  rustup toolchain install "$nightly" --profile minimal --component rust-src
elif ! rustup component list --toolchain "$nightly" --installed | grep -qx rust-src; then
  say "adding rust-src to the $nightly toolchain (release builds of the wasm)"
  rustup component add rust-src --toolchain "$nightly"
fi
# The release build runs offline (Trunk.toml), so the crates the standard library itself depends
# on must already be in cargo's cache: a newer nightly's std can need one the project never used.
RUSTUP_TOOLCHAIN="$nightly" CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  cargo fetch -q --target wasm32-unknown-unknown \
  || fail "cannot fetch the crates the $nightly standard library needs (is crates.io reachable?)"

# 2. wasm-bindgen-cli at exactly the version in Cargo.lock.
lock_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$lock_version" ] || fail "cannot read the wasm-bindgen version from Cargo.lock"
grep -q "wasm_bindgen = \"$lock_version\"" Trunk.toml \
  || fail "Trunk.toml [tools] wasm_bindgen must be \"$lock_version\" (the Cargo.lock version)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$lock_version" ]; then
  say "installing wasm-bindgen-cli $lock_version (about 2 minutes)"
  # --locked fails on this registry (a pinned dependency is missing), so resolve afresh.
  cargo install wasm-bindgen-cli --version "$lock_version" --force
fi

# 3. trunk 0.21.14 (0.22 needs a newer rustc than stable here).
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "0.21.14" ]; then
  say "installing trunk 0.21.14 (about 7 minutes)"
  cargo install trunk --version 0.21.14 --locked --force
fi

# 4. npm tools: wasm-opt from binaryen 132 (Debian's binaryen breaks the wasm) and Playwright,
#    which must never download a browser of its own; and Chromium 64, the oldest Chrome of the
#    README's browser floor, as a headless build that npm carries (chrome-aws-lambda 64.0.3264).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] || [ ! -x node_modules/.bin/terser ] \
   || [ ! -f node_modules/csso/package.json ] || [ ! -x node_modules/.bin/tsc ] || [ ! -f node_modules/jsonwebtoken/package.json ] \
   || [ ! -f node_modules/chrome-aws-lambda/bin/chromium.br ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen 132, @playwright/test, terser, csso, acorn, typescript, ws, jsonwebtoken, Chromium 64)"
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/wasm-opt --version | grep -q 'version 132' || fail "node_modules wasm-opt is not version 132"

# Installs Debian's packages "${@:2}" for what "$1" names, as root; otherwise says what to run.
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    fail "$1 is missing. Run: sudo apt-get update && sudo apt-get install -y ${*:2}"
  fi
  say "installing ${*:2} from Debian"
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:2}" >/dev/null
}

# 5. Chromium and its driver, from Debian.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install Chromium chromium chromium-driver
fi
chromium_version=$(chromium --version 2>/dev/null | grep -o '[0-9]\+\.[0-9]\+' | head -1)
driver_version=$(chromedriver --version 2>/dev/null | grep -o '[0-9]\+\.[0-9]\+' | head -1)
[ "$chromium_version" = "$driver_version" ] \
  || fail "chromium ($chromium_version) and chromedriver ($driver_version) differ: apt-get install -y chromium chromium-driver"

# 6. The end-to-end tests' other engines (tests/e2e/engines.mjs), from Debian: WebKit, Safari's
#    engine (WebKitGTK's MiniBrowser and its WebDriver) with the virtual display it draws on, and
#    Firefox ESR.
if ! command -v WebKitWebDriver >/dev/null || ! compgen -G "/usr/lib/*/webkit2gtk-4.1/MiniBrowser" >/dev/null \
   || ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null; then
  apt_install WebKit webkit2gtk-driver xvfb xauth
fi
if ! command -v firefox-esr >/dev/null; then
  apt_install Firefox firefox-esr
fi
# 7. Python 3 and PHP (with its curl extension), which run the README's Python and PHP examples
#    in the end-to-end tests.
if ! command -v python3 >/dev/null; then
  apt_install "Python 3" python3
fi
if ! command -v php >/dev/null; then
  apt_install PHP php-cli
fi
# PHP's curl extension, for the README's check before fulfilling where allow_url_fopen is off.
if ! php -r 'exit(function_exists("curl_init") ? 0 : 1);' 2>/dev/null; then
  apt_install "PHP's curl extension" php-curl
fi
# 8. nginx, Apache and Caddy, which the end-to-end tests put in front of the proxy with the
#    README's lines for each (they run each as a process of their own, on loopback; the
#    packages' services are not used).
web_servers=()
[ -x /usr/sbin/nginx ] || web_servers+=(nginx)
[ -x /usr/sbin/apache2 ] || web_servers+=(apache2)
[ -x /usr/bin/caddy ] || web_servers+=(caddy)
if [ ${#web_servers[@]} -gt 0 ]; then
  # Debian starts a package's service as it installs it unless /usr/sbin/policy-rc.d forbids it
  # (as container images do). Where none does, one is put there for this install alone, so no
  # web server starts listening on port 80 (where two of them would also fight for it).
  if [ "$(id -u)" -ne 0 ]; then
    fail "${web_servers[*]} missing. Run, to install them without starting their services: sudo sh -c 'p=/usr/sbin/policy-rc.d; [ -e \$p ] || { printf \"#!/bin/sh\\nexit 101\\n\" > \$p; chmod +x \$p; trap \"rm -f \$p\" EXIT; }; apt-get update && apt-get install -y ${web_servers[*]}'"
  fi
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
  fi
  apt_install "${web_servers[*]}" "${web_servers[@]}"
fi
# openssl, with which they make the certificate the web servers serve HTTPS with.
if ! command -v openssl >/dev/null; then
  apt_install openssl openssl
fi
# 9. strace and systemd-analyze, with which the end-to-end tests check the README's systemd unit
#    (tests/e2e/service.spec.mjs: systemd itself is not started).
if ! command -v strace >/dev/null; then
  apt_install strace strace
fi
if ! command -v systemd-analyze >/dev/null; then
  apt_install systemd-analyze systemd
fi
webkit_version=$(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null | cut -d- -f1)
firefox_version=$(firefox-esr --version 2>/dev/null | awk '{print $3}')

nightly_version=$(rustup run "$nightly" rustc --version | awk '{print $2}')
say "tools ready in $(( $(date +%s) - started ))s (wasm-bindgen $lock_version, trunk 0.21.14, wasm-opt 132, chromium $chromium_version, WebKitGTK $webkit_version, Firefox $firefox_version, $nightly $nightly_version with rust-src)"
