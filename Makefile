# The two commands of the quick start. Both install whatever is missing first.
.PHONY: dev test setup bench bench-embed screens

dev:
	@bash scripts/dev.sh

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

# The proxy benchmark quoted in the README (release build, loopback only, about 15 s).
bench:
	@cargo run -q --release -p dollr-proxy --example bench

# Refreshes docs/screens/ (every screen at 360 px and 1280 px) from a release build.
screens:
	@bash scripts/setup.sh && bash scripts/build-release.sh && . scripts/env.sh && cargo build -q -p dollr-proxy \
	  && mkdir -p docs/screens && cd tests/e2e && UPDATE_SCREENS=1 ../../node_modules/.bin/playwright test -c playwright.config.mjs screens

# The embedding budgets quoted in the README: download size and time to an interactive form.
bench-embed:
	@bash scripts/setup.sh && bash scripts/build-release.sh && . scripts/env.sh && cargo build -q --release -p dollr-proxy \
	  && (DOLLR_PROXY_ADDR=127.0.0.1:18767 DOLLR_SANDBOX_ADDR=127.0.0.1:18768 DOLLR_PROXY_STATIC_DIR=dist RUST_LOG=warn \
	      target/release/dollr-proxy & echo $$! > target/bench-proxy.pid) && sleep 1 \
	  && node scripts/bench-embed.mjs http://127.0.0.1:18767; status=$$?; kill $$(cat target/bench-proxy.pid); exit $$status
