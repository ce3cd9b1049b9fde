# Sourced by the other scripts: puts the project's npm tools (wasm-opt 132 first) on PATH.
# shellcheck shell=bash
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver || true)}"
