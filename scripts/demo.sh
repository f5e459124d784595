#!/usr/bin/env bash
# make demo: start an embedded nvmxd on 127.0.0.1 and run the host against it.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "nvmx demo: the host and target are not built yet; running the unit tests that exist."
meson test -C build --suite unit
