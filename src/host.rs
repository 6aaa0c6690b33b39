//! The ground floor: a model's parameters as host vectors, and reading a device tensor back.
//! Compression arithmetic (quantizers, masks, packing) is per element and needs exact control over
//! every stored value, so it runs on the host; burn's `ModuleVisitor` collects the parameters and a
//! `ModuleMapper` writes the results back, in the same (derive) order. Reads are asynchronous, so
//! this works on WebGPU too.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

use crate::error::{Error, Result};

/// Reads a tensor back to the host (asynchronously: the only way WebGPU allows).
pub async fn read_floats<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>> {
    let data = tensor.into_data_async().await.map_err(|e| Error::Backend(format!("{e:?}")))?;
    data.try_into_vec_as::<f32>().map_err(|e| Error::Backend(format!("{e:?}")))
}

/// The name of a depthwise convolution (one filter per channel) in a model's parameter paths
/// (`Cnn.depthwise.weight`): such a kernel's element for channel `c` reads only input channel `c`.
pub const DEPTHWISE: &str = "depthwise";

/// One float parameter: its path in the module tree (`layers.0.weight`), shape and values.
#[derive(Clone, Debug, PartialEq)]
pub struct HostTensor {
    pub path: String,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

impl HostTensor {
    /// Weight matrices and kernels are compressed; biases (rank 1) stay in float.
    pub fn is_weight(&self) -> bool {
        self.shape.len() >= 2
    }

    /// A depthwise convolution's kernel (see [`DEPTHWISE`]).
    pub fn is_depthwise(&self) -> bool {
        self.is_weight() && self.path.split('.').any(|part| part == DEPTHWISE)
    }

    /// Number of output channels and the channel of element `i`. Dense weights are stored
    /// `[inputs, outputs]` by burn (channel = column); conv kernels `[out, in, kh, kw]` (channel =
    /// first index).
    pub fn channels(&self) -> usize {
        if self.shape.len() == 2 { self.shape[1] } else { self.shape[0] }
    }

    pub fn channel_of(&self, i: usize) -> usize {
        if self.shape.len() == 2 {
            i % self.shape[1]
        } else {
            i / (self.values.len() / self.shape[0])
        }
    }
}

/// All float parameters of a model, in visitation order.
#[derive(Clone, Debug, PartialEq)]
pub struct HostWeights {
    pub tensors: Vec<HostTensor>,
}

impl HostWeights {
    /// Reads every float parameter of `model` back to the host.
    pub async fn read(model: &impl Module) -> Result<Self> {
        let mut collector = Collector::default();
        model.visit(&mut collector);
        let mut tensors = Vec::with_capacity(collector.found.len());
        for (path, shape, tensor) in collector.found {
            tensors.push(HostTensor {
                path,
                shape,
                values: read_floats(tensor).await?,
            });
        }
        Ok(Self { tensors })
    }

    /// A copy of `model` whose parameters hold these values (shapes must match, in order).
    pub fn write<M: Module>(&self, model: M) -> M {
        model.map(&mut Writer {
            tensors: &self.tensors,
            next: 0,
        })
    }

    /// The compressible weight tensors.
    pub fn weights(&self) -> impl Iterator<Item = &HostTensor> {
        self.tensors.iter().filter(|t| t.is_weight())
    }

    pub fn weights_mut(&mut self) -> impl Iterator<Item = &mut HostTensor> {
        self.tensors.iter_mut().filter(|t| t.is_weight())
    }
}

#[derive(Default)]
struct Collector {
    path: Vec<String>,
    found: Vec<(String, Vec<usize>, Tensor<1>)>,
}

impl ModuleVisitor for Collector {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let value = param.val();
        let shape = value.dims().to_vec();
        let len: usize = shape.iter().product();
        self.found.push((self.path.join("."), shape, value.reshape([len])));
    }
}

struct Writer<'a> {
    tensors: &'a [HostTensor],
    next: usize,
}

impl ModuleMapper for Writer<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let source = &self.tensors[self.next];
        self.next += 1;
        param.map(|old| {
            let data = TensorData::new(source.values.clone(), source.shape.clone());
            Tensor::from_data(data, &old.device())
        })
    }
}
