//! Data sets: shapes, balance, determinism and the split.

use efficiency_playground::data::{self, digits, synthetic};
use efficiency_playground::spec::{DataName, DataSpec};

#[test]
fn digits_have_the_shipped_shape() {
    let d = digits::load().unwrap();
    assert_eq!(d.len(), 1797);
    assert_eq!(d.n_features, 64);
    assert_eq!(d.n_classes, 10);
    assert_eq!(d.image, Some([8, 8]));
    assert!(d.features.iter().all(|&v| (0.0..=16.0).contains(&v)));
    for class in 0..10 {
        let count = d.labels.iter().filter(|&&l| l == class).count();
        assert!((170..=190).contains(&count), "class {class} has {count} examples");
    }
}

#[test]
fn digits_split_holds_out_360_like_scikit_learn() {
    let spec = DataSpec {
        name: DataName::Digits,
        ..DataSpec::default()
    };
    let split = data::load(&spec, 0).unwrap();
    assert_eq!(split.test.len(), 360);
    assert_eq!(split.train.len(), 1437);
    assert_eq!(split.train.features.len(), 1437 * 64);
}

#[test]
fn normalisation_uses_training_statistics() {
    let spec = DataSpec {
        name: DataName::Moons,
        samples: 500,
        ..DataSpec::default()
    };
    let split = data::load(&spec, 3).unwrap();
    for j in 0..2 {
        let column: Vec<f32> = (0..split.train.len()).map(|i| split.train.row(i)[j]).collect();
        let mean = column.iter().sum::<f32>() / column.len() as f32;
        let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / column.len() as f32;
        assert!(mean.abs() < 1e-4, "feature {j} mean {mean}");
        assert!((var - 1.0).abs() < 1e-3, "feature {j} variance {var}");
    }
}

#[test]
fn every_synthetic_set_is_deterministic_and_balanced() {
    for name in [
        DataName::Spiral,
        DataName::Moons,
        DataName::Circles,
        DataName::Xor,
        DataName::Gaussians,
    ] {
        let a = synthetic::generate(name, 300, 0.1, 7).unwrap();
        let b = synthetic::generate(name, 300, 0.1, 7).unwrap();
        let c = synthetic::generate(name, 300, 0.1, 8).unwrap();
        assert_eq!(a, b, "{name:?} differs for the same seed");
        assert_ne!(a.features, c.features, "{name:?} ignores the seed");
        assert_eq!(a.features.len(), 600);
        assert!(a.features.iter().all(|v| v.is_finite()));
        for class in 0..a.n_classes as u32 {
            let count = a.labels.iter().filter(|&&l| l == class).count();
            assert_eq!(count, 300 / a.n_classes, "{name:?} class {class}");
        }
    }
}

#[test]
fn split_is_deterministic_and_disjoint() {
    let spec = DataSpec {
        name: DataName::Spiral,
        samples: 200,
        test_fraction: 0.25,
        ..DataSpec::default()
    };
    let a = data::load(&spec, 11).unwrap();
    assert_eq!(a, data::load(&spec, 11).unwrap());
    assert_ne!(a.test.features, data::load(&spec, 12).unwrap().test.features);
    assert_eq!((a.train.len(), a.test.len()), (150, 50));
}

#[test]
fn digits_cannot_be_generated() {
    assert!(synthetic::generate(DataName::Digits, 100, 0.1, 0).is_err());
}

#[test]
fn mnist_is_asked_for_until_it_is_provided_and_a_wrong_file_is_refused() {
    // No test in this crate provides MNIST, so the engine still lacks it here.
    let spec = DataSpec {
        name: DataName::Mnist,
        ..Default::default()
    };
    let missing = data::load(&spec, 1).unwrap_err();
    assert_eq!((missing.kind(), missing.detail()), ("data_missing", "mnist".to_string()));
    assert_eq!(data::example_counts(&spec), (8000, 2000));

    let refused = |bytes: &[u8]| match data::mnist::provide(bytes) {
        Err(efficiency_playground::Error::Data(message)) => message,
        other => panic!("expected a data error, got {other:?}"),
    };
    assert_eq!(
        refused(b"neither gzip nor the set"),
        "mnist-10k.bin.gz: expected 10000 examples of 785 bytes, got 24 bytes"
    );
    assert!(
        refused(&[0x1f, 0x8b, 0, 1, 2]).starts_with("mnist-10k.bin.gz: "),
        "a broken gzip stream"
    );
    let mut short = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut short, &[3; 785 * 2]).unwrap();
    assert_eq!(
        refused(&short.finish().unwrap()),
        "mnist-10k.bin.gz: expected 10000 examples of 785 bytes, got 1570 bytes"
    );
    let mut unlabelled = vec![0u8; 785 * 10_000];
    unlabelled[785 * 7] = 10;
    assert_eq!(refused(&unlabelled), "mnist-10k.bin.gz: example 7 has no digit label");
    assert!(data::mnist::load().is_err(), "a refused file leaves the set unloaded");
}
