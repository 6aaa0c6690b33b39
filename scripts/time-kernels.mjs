// The GPU time of each kernel of a WebGPU training step: the WebGPU engine (pkg/engine_webgpu) trains
// under Node with Dawn (npm `webgpu`, found through NODE_PATH) on the machine's own adapter, and
// every compute pass it encodes is replayed as one pass per dispatch, each with timestamp queries
// (WebGPU's `timestamp-query` feature). Prints, per kernel, its GPU milliseconds per step of the
// epochs after the first (which compiles the kernels), its workgroup size and counts, and the total;
// with an OUT_DIR, the WGSL of the costliest kernels is written there.
// Splitting the passes changes nothing a kernel computes (WebGPU orders the dispatches of a pass as
// if each were its own pass), only what the queue can overlap; the times are the kernels' own.
// Usage: [DAWN='dawn options, space-separated'] node scripts/time-kernels.mjs ['{"model":{...},"train":{...}}'] [OUT_DIR]
// (e.g. DAWN='enable-dawn-features=disable_robustness,disable_workgroup_init': the page cannot set Dawn's
// toggles, but a run with them says what they cost.)
import { writeFile, mkdir } from 'node:fs/promises';
import { useDawn, loadEngine } from './dawn.mjs';

useDawn((process.env.DAWN ?? '').split(/\s+/).filter(Boolean));
const [fragmentArg = '{}', outDir = ''] = process.argv.slice(2);

// What each pipeline runs: its WGSL and workgroup size.
const shaders = new WeakMap();
const kernels = new WeakMap();
let nextKernel = 0;
const wrap = (prototype, method, after) => {
  const original = prototype[method];
  prototype[method] = function (...args) {
    return after(original.apply(this, args), this, ...args);
  };
};
const requestDevice = GPUAdapter.prototype.requestDevice;
GPUAdapter.prototype.requestDevice = function (descriptor = {}) {
  if (!this.features.has('timestamp-query')) throw new Error('time-kernels: this adapter has no timestamp queries');
  const requiredFeatures = [...new Set([...(descriptor.requiredFeatures ?? []), 'timestamp-query'])];
  return requestDevice.call(this, { ...descriptor, requiredFeatures });
};
wrap(GPUDevice.prototype, 'createShaderModule', (module, _device, { code }) => {
  shaders.set(module, { code, workgroup: /@workgroup_size\(([^)]*)\)/.exec(code)?.[1] ?? '?' });
  return module;
});
wrap(GPUDevice.prototype, 'createComputePipeline', (pipeline, _device, { compute }) => {
  kernels.set(pipeline, { id: nextKernel++, ...shaders.get(compute.module) });
  return pipeline;
});

// Each encoder's passes are recorded and replayed one dispatch per pass, between timestamps.
const devices = new WeakMap();
const timings = new WeakMap();
wrap(GPUDevice.prototype, 'createCommandEncoder', (encoder, device) => {
  devices.set(encoder, device);
  return encoder;
});
const beginComputePass = GPUCommandEncoder.prototype.beginComputePass;
GPUCommandEncoder.prototype.beginComputePass = function (descriptor = {}) {
  const encoder = this;
  const dispatches = [];
  let pipeline = null;
  const bindGroups = [];
  return {
    setPipeline(p) {
      pipeline = p;
    },
    setBindGroup(index, ...group) {
      bindGroups[index] = group;
    },
    dispatchWorkgroups(x, y = 1, z = 1) {
      dispatches.push({ pipeline, bindGroups: [...bindGroups], counts: [x, y, z] });
    },
    dispatchWorkgroupsIndirect() {
      throw new Error('time-kernels: indirect dispatches are not timed');
    },
    pushDebugGroup() {},
    popDebugGroup() {},
    insertDebugMarker() {},
    end() {
      for (const dispatch of dispatches) replay(encoder, descriptor, dispatch);
    },
  };
};
const MAX_QUERIES = 4096;
function replay(encoder, descriptor, { pipeline, bindGroups, counts }) {
  let timing = timings.get(encoder);
  if (!timing) {
    const device = devices.get(encoder);
    timing = { device, querySet: device.createQuerySet({ type: 'timestamp', count: MAX_QUERIES }), dispatches: [] };
    timings.set(encoder, timing);
  }
  const index = 2 * timing.dispatches.length;
  if (index + 2 > MAX_QUERIES) throw new Error('time-kernels: too many dispatches in one command encoder');
  const pass = beginComputePass.call(encoder, {
    ...descriptor,
    timestampWrites: { querySet: timing.querySet, beginningOfPassWriteIndex: index, endOfPassWriteIndex: index + 1 },
  });
  pass.setPipeline(pipeline);
  for (const [i, group] of bindGroups.entries()) if (group) pass.setBindGroup(i, ...group);
  pass.dispatchWorkgroups(...counts);
  pass.end();
  timing.dispatches.push({ kernel: kernels.get(pipeline), counts });
}
// Before an encoder finishes, its timestamps are resolved into a buffer read back after the submit.
const pending = [];
const finish = GPUCommandEncoder.prototype.finish;
GPUCommandEncoder.prototype.finish = function (...args) {
  const timing = timings.get(this);
  if (timing) {
    const bytes = 16 * timing.dispatches.length;
    const resolved = timing.device.createBuffer({ size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const read = timing.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.resolveQuerySet(timing.querySet, 0, 2 * timing.dispatches.length, resolved, 0);
    this.copyBufferToBuffer(resolved, 0, read, 0, bytes);
    pending.push({ read, dispatches: timing.dispatches, after: submitted });
  }
  return finish.apply(this, args);
};
let submitted = 0;
wrap(GPUQueue.prototype, 'submit', (result) => {
  submitted += 1;
  flush();
  return result;
});

// Read-backs of submitted encoders, added up per kernel for the steps being measured.
const perKernel = new Map();
let measuring = false;
const reads = [];
function flush() {
  while (pending.length && pending[0].after < submitted) {
    const { read, dispatches } = pending.shift();
    const counted = measuring;
    reads.push(
      read.mapAsync(GPUMapMode.READ).then(() => {
        const stamps = new BigUint64Array(read.getMappedRange());
        if (counted)
          dispatches.forEach(({ kernel, counts }, i) => {
            const entry = perKernel.get(kernel) ?? { kernel, ns: 0, launches: 0, counts: new Set() };
            entry.ns += Number(stamps[2 * i + 1] - stamps[2 * i]);
            entry.launches += 1;
            entry.counts.add(counts.join('×'));
            perKernel.set(kernel, entry);
          });
        read.unmap();
        read.destroy();
      }),
    );
  }
}

const engine = await loadEngine('engine_webgpu', 'webgpu');
const defaults = engine.defaultSpec();
const fragment = JSON.parse(fragmentArg);
const spec = { ...defaults, ...fragment, compress: [], train: { ...defaults.train, epochs: 3, ...fragment.train } };
let steps = 0;
let epochs = 0;
await engine.run(spec, (progress) => {
  if (progress.kind === 'epoch' && ++epochs === 1) measuring = true;
  else if (progress.kind === 'batch' && measuring) steps += 1;
  return true;
});
await Promise.all(reads);

const ms = (ns) => Number((ns / 1e6 / steps).toFixed(3));
const rows = [...perKernel.values()].sort((a, b) => b.ns - a.ns);
if (outDir) {
  await mkdir(outDir, { recursive: true });
  await Promise.all(rows.slice(0, 8).map(({ kernel }) => writeFile(`${outDir}/kernel-${kernel.id}.wgsl`, kernel.code)));
}
console.log(
  JSON.stringify(
    {
      model: spec.model,
      batch_size: spec.train.batch_size,
      steps_measured: steps,
      gpu_ms_per_step: ms(rows.reduce((sum, row) => sum + row.ns, 0)),
      kernels: rows.map(({ kernel, ns, launches, counts }) => ({
        kernel: kernel.id,
        gpu_ms_per_step: ms(ns),
        launches_per_step: Number((launches / steps).toFixed(2)),
        workgroup_size: kernel.workgroup,
        workgroups: [...counts].join(' '),
        wgsl_chars: kernel.code.length,
      })),
    },
    null,
    1,
  ),
);
process.exit(0); // Dawn keeps the event loop alive
