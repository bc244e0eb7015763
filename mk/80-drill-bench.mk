# The drill simulator against a running platform (make up) and the benchmarks that write BENCHMARKS.md.
# make drill SPEED=20 SEED=3 DRILL_ARGS="--patients 200"
SPEED ?= 1
SEED ?= 1
DRILL_API ?= http://127.0.0.1:3000

.PHONY: drill bench
drill: $(INSTALL_STAMP) ## Play a generated drill against the running platform and check the result (SPEED=20)
	tsx tools/drill/src/cli.ts --api $(DRILL_API) --speed $(SPEED) --seed $(SEED) $(DRILL_ARGS)

bench: $(INSTALL_STAMP) ## Measure bundles, validators, REST, capacity and generate; writes BENCHMARKS.md
	tsx tools/bench/src/run.ts $(BENCH_ARGS)
