# crmbridge: `make demo` runs the demo pipeline on the bundled fixtures, `make test` runs every test.
SWIFT ?= swift
RELEASE_BIN = .build/release/crmbridge
DEMO_AS_OF ?= 2026-11-22T03:00:00+08:00
# Optional: the development corpus for `make corpus` (not part of this repository): the folder
# holding its sources/ and truth/, with its scorer score.py in the folder above.
CORPUS ?=
# make fuzz: seconds per target, and which targets (default: all; see scripts/fuzz.sh).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: setup build release demo test format crash-test bench bench-floor bench-world bench-normalizers bench-readers bench-xlsx bench-xml bench-instructions corpus fixtures docs dashboard-check fuzz clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product crmbridge

# Runs pipelines/demo.yml into a fresh out/demo.sqlite and exports its master records and rejects.
demo: release
	@mkdir -p out
	@rm -f out/demo.sqlite out/demo.sqlite-wal out/demo.sqlite-shm   # a fresh demo each time
	$(RELEASE_BIN) run pipelines/demo.yml --as-of $(DEMO_AS_OF)
	$(RELEASE_BIN) export master --store sqlite:out/demo.sqlite --out out/master.csv
	$(RELEASE_BIN) export rejects --store sqlite:out/demo.sqlite --out out/rejects.csv
	@echo "demo: exports in out/master.csv and out/rejects.csv"

# One build of everything (tests and the CLI the end-to-end tests run), then the tests.
# The tests write their stores and scratch files under TMPDIR: one folder per run, removed after
# it, pass or fail (11,850 of their files had built up in /tmp before).
test: setup
	$(SWIFT) build --build-tests
	@scratch=$$(mktemp -d -t crmbridge-tests.XXXXXX); \
	TMPDIR=$$scratch $(SWIFT) test --skip-build; status=$$?; \
	rm -rf $$scratch; exit $$status

# Formats the sources as .swift-format says (CI lints with the same configuration).
format:
	swift format format --in-place --recursive --parallel Sources Tests

# Fault injection on the release binary: SIGKILL at random moments of first loads, updates,
# exports and scans (integrity, before-or-after state, re-run equals a clean run), a full disk,
# a read-only store, 2 and 4 runners at once. N rounds of kills (default 100).
crash-test: release
	python3 scripts/crash_test.py -n $(or $(N),100)

# Benchmark: N synthetic rows (default 1,000,000) into an empty store, then a 10% update run;
# STORE=postgres: also into a throwaway local PostgreSQL, beside the SQLite figures.
bench: release
	STORE=$(STORE) scripts/bench.sh $(N)

# A nightly world of N customers (default 200,000; about 3.2 rows each) in five exports (GBK CSV, xlsx,
# JSON Lines, WeChat XML, calls): crmbridge's first load, a re-run with every row unchanged and a 10%
# update, then the same job in plain Python (into .venv-bench/, pip) and the ratios of the first loads.
# CRMBRIDGE=PATH measures another build.
bench-world: release
	CRMBRIDGE=$(CRMBRIDGE) scripts/bench_world.sh $(N)

# What SQLite alone needs to store the rows of `make bench` (run it first): the floor under its figures.
bench-floor:
	python3 scripts/bench_floor.py

# Values per second of each normalizer on one thread, against each normalizer's target.
bench-normalizers: setup
	$(SWIFT) build -c release --product crmbridge-bench
	.build/release/crmbridge-bench

# Rows per second of the readers alone: a 1,000,000-line JSON Lines file (target 300k rows/s).
bench-readers: setup
	scripts/bench_readers.sh $(N)

# Optional: accuracy on the development corpus (make corpus CORPUS=DIR), scored by the corpus's
# own scorer. Checks that the corpus is there before it builds anything.
corpus:
	@CORPUS="$(CORPUS)" scripts/score_corpus.sh --check
	@$(MAKE) --no-print-directory release
	CORPUS="$(CORPUS)" scripts/score_corpus.sh

# Rows/s and peak RSS of the xlsx reader on an N-row sheet (default 1,000,000; target 120k rows/s).
bench-xlsx: setup
	$(SWIFT) build -c release --product crmbridge-bench
	scripts/bench_xlsx.sh $(N)

# Rows/s of the XML reader on N WeChat pushes (default 300,000; target 150k rows/s).
bench-xml: setup
	$(SWIFT) build -c release --product crmbridge-bench
	scripts/bench_xml.sh $(N)

# Instructions per thread of a first load of N bench rows (default 20,000) under callgrind: builds
# compared by their code on a host whose speed swings (needs valgrind and `make bench` run once).
bench-instructions: release
	scripts/bench_instructions.sh $(N)

# Renders the demo's health dashboard in headless chromium (apt-get install chromium fonts-wqy-microhei) to
# out/dashboard.png: look at it after changing HealthReport+HTML.swift. The end-to-end tests
# check the HTML always and render it when chromium is installed.
dashboard-check: build
	@mkdir -p out
	rm -f out/dashboard.sqlite
	.build/debug/crmbridge run pipelines/demo.yml --store sqlite:out/dashboard.sqlite --as-of 2026-11-21T03:00:00+08:00 > /dev/null
	.build/debug/crmbridge run pipelines/demo.yml --store sqlite:out/dashboard.sqlite --as-of $(DEMO_AS_OF) --force > /dev/null
	.build/debug/crmbridge health --store sqlite:out/dashboard.sqlite --format html --out out/dashboard.html
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=out/dashboard.png \
		--window-size=1280,1600 out/dashboard.html 2>/dev/null
	@echo "dashboard-check: out/dashboard.html rendered to out/dashboard.png"

# Fuzzing with libFuzzer and AddressSanitizer: builds crmbridge-fuzz into .build-fuzz and runs each
# target for FUZZ_SECONDS on the fixtures and fuzz/regressions/; a finding exits 1 (scripts/fuzz.sh).
fuzz: setup
	FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" scripts/fuzz.sh

fixtures:
	python3 scripts/gen_fixtures.py

docs: build
	.build/debug/crmbridge docs > docs/pipeline-format.md

clean:
	rm -rf .build .build-fuzz out bench-data .venv-bench
