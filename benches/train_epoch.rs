//! One training epoch of the digits MLP (64-64-10, Adam; batch 32, 64 — the default — and 256) on
//! the native CPU backend, evaluation on both splits included — the unit the page reports as "ms/epoch".

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use efficiency_playground::backend;
use efficiency_playground::data;
use efficiency_playground::model::{Classifier, InputShape};
use efficiency_playground::spec::{ExperimentSpec, TrainSpec};
use efficiency_playground::train::{self, NoHooks, RunToEnd};

fn digits_mlp_epoch(c: &mut Criterion) {
    let spec = ExperimentSpec::default();
    let split = data::load(&spec.data, spec.seed).expect("digits load");
    let device = backend::cpu();
    let input = InputShape {
        features: 64,
        classes: 10,
        image: split.train.image,
    };
    let mut group = c.benchmark_group("train");
    group.throughput(Throughput::Elements(split.train.len() as u64));
    for batch_size in [32, 64, 256] {
        let one_epoch = TrainSpec {
            epochs: 1,
            batch_size,
            ..spec.train.clone()
        };
        group.bench_function(format!("digits_mlp_64_epoch_cpu_batch_{batch_size}"), |b| {
            b.iter(|| {
                let model = Classifier::new(&spec.model, input, &device);
                pollster::block_on(train::train(model, &split, &one_epoch, spec.seed, &device, &mut RunToEnd, &NoHooks)).expect("trains")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, digits_mlp_epoch);
criterion_main!(benches);
