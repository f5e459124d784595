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

.PHONY: all deps build san check demo bench fuzz clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja: | deps
	$(MESON) setup $(BUILD) --buildtype=debugoptimized

$(SAN)/build.ninja: | deps
	$(MESON) setup $(SAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

san: deps $(SAN)/build.ninja
	$(NINJA) -C $(SAN)

check: build san
	@scripts/check.sh

demo: build
	@scripts/demo.sh

bench: build
	@bench/run.sh

fuzz: deps
	@scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(SAN) $(FUZZDIR)
