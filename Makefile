# The two commands of the quick start. Both install whatever is missing first.
.PHONY: dev test setup bench screens

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
	@bash scripts/setup.sh && . scripts/env.sh && trunk build --release && cargo build -q -p dollr-proxy \
	  && mkdir -p docs/screens && cd tests/e2e && UPDATE_SCREENS=1 ../../node_modules/.bin/playwright test -c playwright.config.mjs screens
