# The two commands of the quick start. Both install whatever is missing first.
.PHONY: dev test setup bench

dev:
	@bash scripts/dev.sh

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

# The proxy benchmark quoted in the README (release build, loopback only, about 15 s).
bench:
	@cargo run -q --release -p dollr-proxy --example bench
