#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root (see scripts/gpu-kit): unpacks gpu-kit/, installs
# the Vulkan loader from its packages (the NVIDIA driver's ICD is expected where the machine has it),
# then writes to OUT_DIR: the adapter Dawn sees, the WebGPU calls of a training step and their time on
# the GPU (scripts/count-webgpu.mjs), each kernel's GPU time (scripts/time-kernels.mjs), the native
# figures (Flex; burn-wgpu on Vulkan) and the wasm engines' figures under Node + Dawn on the GPU and on
# Dawn's null adapter.
set -u
out=${1:?usage: bash gpu-kit/run.sh OUT_DIR}
kit=gpu-kit; bin=$(mktemp -d)
mkdir -p "$out" pkg "$bin/nm/webgpu/dist/linux-x64"
for f in node dawn.node bench_backends engine_cpu_bg.wasm engine_webgpu_bg.wasm; do xz -dc "$kit/$f.xz" > "$bin/$f"; done
chmod +x "$bin/node" "$bin/bench_backends"
tar -xf "$kit/webgpu.tar" -C "$bin/nm" && mv "$bin/dawn.node" "$bin/nm/webgpu/dist/linux-x64/"
cp "$kit"/pkg/*.js "$bin"/engine_*_bg.wasm pkg/
for deb in "$kit"/debs/*.deb; do dpkg -x "$deb" /; done; ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json} XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
export NODE_PATH="$bin/nm"
{ date -u; nvidia-smi -L 2>/dev/null; nproc; lscpu | grep 'Model name'; } > "$out/machine.txt"
"$bin/node" --input-type=module -e "
  import { createRequire } from 'node:module';
  const { create, globals } = createRequire(process.cwd() + '/')('webgpu');
  Object.assign(globalThis, globals);
  const adapter = await create([]).requestAdapter();
  const info = {};
  for (const key in adapter?.info ?? {}) info[key] = adapter.info[key]; // attributes, not own properties
  console.log(JSON.stringify({ info, features: adapter ? [...adapter.features].sort() : null }));
  process.exit(0);" > "$out/adapter.json" 2>&1
big='{"model":{"kind":"mlp","hidden":[512,512],"activation":"relu"}}'
for fragment in '{"train":{"batch_size":32}}' "$big" '{"model":{"kind":"cnn","channels":[16,32],"activation":"relu"}}'; do
  DAWN= timeout 60 "$bin/node" scripts/count-webgpu.mjs "$fragment" >> "$out/calls.json" 2>> "$out/calls.err"
  timeout 90 "$bin/node" scripts/time-kernels.mjs "$fragment" >> "$out/kernels.json" 2>> "$out/calls.err"
done
# What the browser's shader robustness (bounds clamps a page cannot turn off; native cubecl does) costs.
DAWN=enable-dawn-features=disable_robustness timeout 90 "$bin/node" scripts/time-kernels.mjs "$big" > "$out/kernels-unrobust.json" 2>> "$out/calls.err"
timeout 300 "$bin/bench_backends" cpu webgpu > "$out/native.txt" 2>&1; echo "native: exit $?"
timeout 400 "$bin/node" scripts/bench-dawn.mjs "" > "$out/dawn.jsonl" 2> "$out/dawn.err"; echo "wasm on the GPU: exit $?"
timeout 200 "$bin/node" scripts/bench-dawn.mjs backend=null > "$out/dawn-null.jsonl" 2>> "$out/dawn.err"; echo "wasm on the null adapter: exit $?"
