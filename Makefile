# nvmx: a thin wrapper around meson, as nvme-cli's is.
#   make          build (build/, -O2 -g)
#   make check    whole test suite: normal build + ASan/UBSan build
#   make demo     start an embedded nvmxd and run the host against it
#   make bench    performance matrix (bench/README.md)
#   make fuzz     run the libFuzzer harnesses (FUZZ_SECONDS=N each)
BUILD   ?= build
SAN     ?= build-san
FUZZDIR ?= build-fuzz
MESON   ?= meson
NINJA   ?= ninja

.PHONY: all deps build san fuzzbuild check demo bench fuzz clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja: | deps
	$(MESON) setup $(BUILD) --buildtype=debugoptimized

$(SAN)/build.ninja: | deps
	$(MESON) setup $(SAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

# clang + libFuzzer; its tests (suite 'fuzz') run bounded in `make check`
$(FUZZDIR)/build.ninja: | deps
	CC=clang $(MESON) setup $(FUZZDIR) -Dfuzz=true -Dinterop=false --buildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link

build: deps $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

san: deps $(SAN)/build.ninja
	$(NINJA) -C $(SAN)

fuzzbuild: deps $(FUZZDIR)/build.ninja
	$(NINJA) -C $(FUZZDIR)

check: build san fuzzbuild
	@scripts/check.sh

demo: build
	@scripts/demo.sh

bench: build
	@bench/run.sh

fuzz: deps
	@scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(SAN) $(FUZZDIR)
