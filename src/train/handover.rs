//! A training run's state between two epochs, so that another engine can go on with it: the page's
//! Auto backend trains on the CPU while WebGPU starts in a second engine, and once WebGPU trains
//! faster it takes the CPU's run over instead of starting it again. What a run needs to go on: the
//! model, the optimizer's state (Adam's moments and step count, which burn's `ModuleOptimizer`
//! keeps under each parameter's `ParamId`: so the parameters keep their ids from one engine to
//! the other), and the epochs done with their metrics. The batch order is drawn again from the seed.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::tensor::{Bytes, Tensor};

use super::metrics::EpochMetrics;
use crate::error::{Error, Result};
use crate::model::Classifier;

/// Where a run stands: before its first epoch (a fresh model, no optimizer state), or after
/// `history.len()` epochs.
#[derive(Debug)]
pub struct RunState {
    /// The model, on the plain (non-autodiff) device.
    pub model: Classifier,
    /// The optimizer's state as burn serialises it (burnpack), `None` before the first step.
    pub optimizer: Option<Vec<u8>>,
    pub history: Vec<EpochMetrics>,
    pub train_seconds: f64,
}

/// A run that has not started.
impl From<Classifier> for RunState {
    fn from(model: Classifier) -> Self {
        Self {
            model,
            optimizer: None,
            history: Vec::new(),
            train_seconds: 0.0,
        }
    }
}

/// burn's serialised optimizer state.
pub(super) fn optimizer_bytes(optimizer: &burn::optim::ModuleOptimizer) -> Result<Vec<u8>> {
    let bytes = optimizer
        .into_bytes()
        .map_err(|e| Error::Backend(format!("saving the optimizer's state: {e}")))?;
    Ok(bytes.to_vec())
}

/// `optimizer` with the state of `bytes` (from [`optimizer_bytes`]).
pub(super) fn load_optimizer(optimizer: burn::optim::ModuleOptimizer, bytes: Vec<u8>) -> Result<burn::optim::ModuleOptimizer> {
    optimizer
        .from_bytes(Bytes::from_bytes_vec(bytes))
        .map_err(|e| Error::File(format!("the optimizer's state does not load: {e}")))
}

/// The ids of `model`'s float parameters, in visitation order.
pub fn param_ids(model: &impl Module) -> Vec<u64> {
    struct Ids(Vec<u64>);
    impl ModuleVisitor for Ids {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.push(param.id.val());
        }
    }
    let mut ids = Ids(Vec::new());
    model.visit(&mut ids);
    ids.0
}

/// `model` with its float parameters' ids set to `ids` (in visitation order): the ids another
/// engine's optimizer state is kept under.
pub fn with_param_ids<M: Module>(model: M, ids: &[u64]) -> Result<M> {
    let count = param_ids(&model).len();
    if count != ids.len() {
        return Err(Error::File(format!(
            "the run's state names {} parameters, this model has {count}",
            ids.len()
        )));
    }
    struct SetIds<'a>(std::slice::Iter<'a, u64>);
    impl ModuleMapper for SetIds<'_> {
        fn map_float<const D: usize>(&mut self, mut param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            param.id = ParamId::from(*self.0.next().expect("counted above"));
            param
        }
    }
    Ok(model.map(&mut SetIds(ids.iter())))
}
