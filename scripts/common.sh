# Shared by scripts/serve, scripts/test and scripts/bench-browser: tool installation and the build.
# Caches (cargo target dir, wasm-bindgen CLI, wasm-opt output) live outside the clone, under
# $EFFICIENCY_PLAYGROUND_CACHE, so fresh clones on the same machine reuse them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${EFFICIENCY_PLAYGROUND_CACHE:-$HOME/.cache/efficiency-playground}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
export PATH="$CACHE/tools/bin:$PATH"
CRATE=efficiency_playground
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly. Only its
# `wasm-bindgen` binary, without the TLS stack its test runner downloads with (rustls, ring), and
# unoptimised: it compiles in 40 s instead of 2.5–4 min on two cores, and writes the same files, in
# 10 s instead of 3 for the WebGPU engine (docs/BENCHMARKS.md: build time).
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (one-off, about a minute)"
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 cargo install wasm-bindgen-cli --version "=$want" --root "$CACHE/tools" --no-default-features --bin wasm-bindgen
  fi
}

ensure_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm packages"
    npm ci --no-audit --no-fund
  fi
}

# One build of the engine: release wasm → wasm-bindgen (pkg/engine_NAME.js and _bg.wasm). Further
# arguments go to cargo (features).
compile_engine() {
  local name=$1
  shift
  step "building the $name engine for wasm32 (release)"
  # Both builds write the same file; switching features rebuilds the crate itself (~15 s), not its deps.
  cargo build --release --locked --target wasm32-unknown-unknown --lib "$@"
  wasm-bindgen --target web --out-dir pkg --out-name "engine_$name" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$CRATE.wasm"
}

# wasm-opt at LEVEL over pkg/engine_NAME_bg.wasm, cached by the hash of its input and the level.
optimise_engine() {
  local name=$1 level=$2 raw hash opt
  raw=pkg/engine_${name}_bg.wasm
  hash=$(sha256sum "$raw" | cut -c1-16)
  opt="$CACHE/wasm-opt/$hash$level.wasm"
  if [ ! -f "$opt" ]; then
    step "optimising the $name engine with wasm-opt $level (cached afterwards)"
    mkdir -p "$CACHE/wasm-opt"
    node_modules/.bin/wasm-opt "$level" "$raw" -o "$opt.tmp" && mv "$opt.tmp" "$opt"
  fi
  cp "$opt" "$raw"
  printf '%s engine: %s bytes raw, %s bytes gzip -9\n' "$name" "$(stat -c %s "$raw")" "$(gzip -9 -c "$raw" | wc -c)"
}

# The page's two engines: CPU only (the first download) and CPU + WebGPU (loaded when WebGPU is
# wanted). Same API, same source; the second adds burn's wgpu backend. Measured (docs/BENCHMARKS.md,
# build time): -Oz trains ~5 % faster on the CPU than -O1; on the large WebGPU engine -O1 takes a
# minute instead of five and its output compresses smaller. (Running the CPU engine's wasm-opt
# beside the WebGPU engine's build was tried: on two cores both slowed down, 47 s more in all.)
build_cpu_engine() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm
  rm -rf pkg
  compile_engine cpu
  optimise_engine cpu -Oz
}

build_webgpu_engine() {
  compile_engine webgpu --features webgpu
  optimise_engine webgpu -O1
}

build_wasm() {
  build_cpu_engine
  build_webgpu_engine
}

# The npm package `webgpu` (Dawn for Node, the WebGPU implementation inside Chromium; ~130 MB, all
# platforms), installed once into the cache, not into the project; prints its NODE_PATH.
ensure_dawn() {
  local dawn="$CACHE/dawn"
  if [ ! -d "$dawn/node_modules/webgpu" ]; then
    step "installing the npm package webgpu (Dawn for Node; one-off)" >&2
    mkdir -p "$dawn"
    npm install --prefix "$dawn" --no-save --no-audit --no-fund webgpu@0.6.2 >&2
  fi
  echo "$dawn/node_modules"
}

# Vite bundles www/ and pkg/ into www/OUT (default: www/dist).
bundle_page() {
  step "building the page (vite)"
  npx vite build --logLevel warn --outDir "${1:-dist}"
}

precompress_page() {
  step "precompressing the page for static hosting (.br, .gz; cached)"
  PRECOMPRESS_CACHE="$CACHE/precompressed" node scripts/precompress.mjs www/dist
}

build_page() {
  build_wasm
  bundle_page
  precompress_page
}
