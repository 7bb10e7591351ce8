# Accord's two commands are `make run` and `make test`; the rest are conveniences.
# Every target installs what is missing first (ops/install-deps), so a fresh Debian 12
# machine needs nothing else.

JOBS      ?= $(shell nproc)
DATA      ?= ./data
LISTEN    ?= 127.0.0.1:8080
WEB       ?= web-client/dist
# The first secretariat account `make run` creates on an empty data directory.
ADMIN_EMAIL ?= secretariat@accord.localhost
CMAKE_GEN := -G Ninja

.PHONY: run test build web build-asan bench fuzz format lint deps clean

deps:
	@ops/install-deps

build:
	@ops/install-deps --run
	cmake -S . -B build $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DACCORD_BUILD_TESTS=OFF
	cmake --build build -j $(JOBS)

run: build web
	mkdir -p $(DATA)
	@build/bin/accord bootstrap --data $(DATA) --if-needed --email $(ADMIN_EMAIL) --url http://$(LISTEN)
	build/bin/accordd --data $(DATA) --listen $(LISTEN) --web $(WEB)

# The web client's production build, redone only when its sources changed since the last one.
WEB_SOURCES := $(shell find web-client/src web-client/public -type f 2>/dev/null) \
               web-client/index.html web-client/package-lock.json web-client/vite.config.ts
web: web-client/dist/index.html
web-client/dist/index.html: $(WEB_SOURCES)
	@ops/install-deps --run
	cd web-client && npm run --silent build
	@touch $@

# Sanitized debug build of everything, tests included, in build-asan/.
build-asan:
	cmake -S . -B build-asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DACCORD_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)

test:
	@tests/run-all

bench:
	@ops/install-deps
	cmake -S . -B build $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DACCORD_BUILD_TESTS=OFF -DACCORD_BUILD_BENCH=ON
	cmake --build build -j $(JOBS)
	@tests/run-bench

fuzz:
	@ops/install-deps
	@tests/run-fuzz $${FUZZ_SECONDS:-300}

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

lint: build-asan
	git ls-files '*.cc' | grep -v '_test.cc$$' | xargs clang-tidy -p build-asan --quiet

clean:
	rm -rf build build-asan build-fuzz
