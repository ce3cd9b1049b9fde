# The two commands of the quick start. Both install whatever is missing first.
.PHONY: dev test setup

dev:
	@bash scripts/dev.sh

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh
