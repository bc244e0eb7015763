# The drill simulator against a running platform (make up) and the benchmarks that write BENCHMARKS.md.
# make drill SPEED=20 SEED=3 DRILL_ARGS="--patients 200"
SPEED ?= 1
SEED ?= 1
DRILL_API ?= http://127.0.0.1:3000

.PHONY: drill bench
drill: $(INSTALL_STAMP) ## Play a generated drill against the running platform and check the result (SPEED=20)
	tsx tools/drill/src/cli.ts --api $(DRILL_API) --speed $(SPEED) --seed $(SEED) $(DRILL_ARGS)

# The bundles come from the synthesized app and the dashboard benchmark needs its production build.
bench: $(INSTALL_STAMP) synth dashboard ensure-java ## Measure bundles, validators, REST, capacity, dashboard and generate; writes BENCHMARKS.md
	tools/bootstrap/ensure-chromium.sh
	tsx tools/bench/src/run.ts $(BENCH_ARGS)
