#!/usr/bin/env bash
# The release build of the files merchants host (dist/cdn) and the static shop (dist/shop).
# The wasm is built with the nightly toolchain rebuilding the standard library so that a panic
# is a bare trap (`-C panic=immediate-abort`): no panic messages, locations or their formatting
# code ship to payers (the wasm: 125.1 -> 111.9 KB brotli, see docs/budgets.md).
# `trunk serve` and the tests' debug builds stay on stable and keep the console's panic message.
# `-Ctarget-cpu=mvp` (the standard library rebuilt with it) and wasm-opt's `--mvp-features`
# (index.html) keep the wasm to WebAssembly 1.0, which older phones' browsers run (the README's
# Browsers); scripts/package.sh checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
export RUSTUP_TOOLCHAIN="${DOLLR_NIGHTLY:-nightly}"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
# RUSTFLAGS replaces .cargo/config.toml's wasm32 rustflags, so `erase_components` is repeated.
# With `--target` (trunk passes it) these reach only the wasm, not build scripts or macros.
export RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Ctarget-cpu=mvp"
exec trunk build --release "$@"
