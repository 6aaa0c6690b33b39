// What every technique and training control does, for learners (issue #15): a one-line
// description (the control's accessible description and tooltip) and a longer "what is this?" with
// the paper it comes from, keyed by the control's element id; and a glossary of the terms the page
// uses. help.js puts them on the page.

import { paper, SURVEY, HAN } from './papers.js';
import { TECHNIQUES } from './techniques.js';

/** Control id → {short, long, paper?}: the settings' here, each technique's in its entry (techniques.js). */
export const EXPLANATIONS = {
  ...Object.assign({}, ...Object.values(TECHNIQUES).map((technique) => technique.explain)),
  'f-data-name': {
    short: 'The examples the model learns from and is tested on.',
    long: 'The 8×8 digits (1,797 handwritten digits) and MNIST (28×28) are image tasks; the 2D sets (spirals, moons, circles, XOR, blobs) are small enough to see the decision boundary a model draws.',
  },
  'f-data-test-fraction': {
    short: 'The share of examples held out to measure accuracy.',
    long: 'The model never trains on the test examples, so test accuracy says how well it generalises. Every point on the chart is measured on the same test split of its data set.',
  },
  'f-model-kind': {
    short: 'A multilayer perceptron or a small convolutional network.',
    long: 'An MLP connects every input to every unit of the next layer. A CNN slides small filters over the image, sharing weights across positions: fewer weights for image tasks.',
  },
  'f-model-hidden': {
    short: 'Units in each hidden layer of the MLP, e.g. 64, 32.',
    long: 'Wider and deeper models can learn more, and cost more bytes and MACs. The survey calls finding the smallest model that is good enough the central trade-off.',
    paper: SURVEY,
  },
  'f-model-block': {
    short: 'A full 3×3 convolution, or a depthwise-separable one.',
    long: 'A depthwise-separable block filters each channel on its own, then mixes channels with a 1×1 convolution: about k² times fewer weights and MACs.',
    paper: paper('Howard et al. 2017, MobileNets', 'https://arxiv.org/abs/1704.04861'),
  },
  'f-model-head': {
    short: 'How the last layer sees the feature maps.',
    long: 'Global average pooling keeps one mean per channel, so the last layer maps channels to classes instead of every pixel of every channel: a much smaller head.',
    paper: paper('Lin et al. 2014, Network in Network', 'https://arxiv.org/abs/1312.4400'),
  },
  'f-model-width': {
    short: "Multiplies every channel count (MobileNet's α).",
    long: 'A width multiplier thins the whole network at once: α = 0.5 keeps half the channels, about a quarter of the MACs.',
    paper: paper('Howard et al. 2017, MobileNets', 'https://arxiv.org/abs/1704.04861'),
  },
  'f-model-activation': {
    short: 'The non-linearity between layers.',
    long: 'ReLU (max(0, x)) is the usual choice; tanh and sigmoid saturate; GELU is smooth. Without a non-linearity, stacked layers would collapse into one linear map.',
  },
  'f-train-optimizer': {
    short: 'How the weights are updated from the gradients.',
    long: "SGD steps against the gradient (with momentum, it keeps some of the last step); Adam scales each weight's step by running estimates of its gradient's size.",
    paper: paper('Kingma & Ba 2015, Adam', 'https://arxiv.org/abs/1412.6980'),
  },
  'f-train-learning-rate': {
    short: 'How big each update step is.',
    long: 'Too small and training crawls; too large and the loss jumps around or diverges. Fine-tuning after compression usually wants a smaller rate than training from scratch.',
  },
  'f-train-weight-decay': {
    short: 'Pulls weights towards zero at every step.',
    long: 'A learning technique that keeps weights small, which often generalises better and leaves more weights near zero for pruning to remove.',
    paper: paper('Loshchilov & Hutter 2019, Decoupled Weight Decay', 'https://arxiv.org/abs/1711.05101'),
  },
  'f-train-epochs': {
    short: 'How many passes over the training examples.',
    long: 'More epochs let the model fit better, up to the point where it memorises the training set and test accuracy stops improving.',
  },
  'f-train-batch-size': {
    short: 'Examples per update step.',
    long: 'Larger batches give smoother gradients and fewer, faster steps per epoch (especially on a GPU); smaller ones more, noisier steps.',
  },
  'f-train-label-smoothing': {
    short: 'Trains towards 1 − ε on the right class instead of 1.',
    long: 'A learning technique: the model is discouraged from being over-confident, which often helps accuracy at no cost in size.',
    paper: paper('Szegedy et al. 2016, Rethinking the Inception Architecture', 'https://arxiv.org/abs/1512.00567'),
  },
  'f-train-augment-shift': {
    short: 'Moves each training image by up to this many pixels.',
    long: 'Data augmentation: the model sees slightly different versions of every example, so it learns what a digit is, not where its pixels are. A learning technique: better quality at the same footprint.',
    paper: SURVEY,
  },
  'd-teacher': {
    short: 'A larger trained model whose outputs this one learns from.',
    long: 'Knowledge distillation: the small student learns the teacher\'s softened probabilities as well as the labels, which carry how similar the classes are ("this 7 looks a bit like a 1").',
    paper: paper('Hinton et al. 2015, Distilling the Knowledge in a Neural Network', 'https://arxiv.org/abs/1503.02531'),
  },
  'd-temperature': {
    short: "How much the teacher's probabilities are softened.",
    long: 'Dividing the logits by a temperature above 1 spreads the probability over the wrong classes, so the student sees how the teacher ranks them.',
    paper: paper('Hinton et al. 2015, Distilling the Knowledge in a Neural Network', 'https://arxiv.org/abs/1503.02531'),
  },
  'f-seed': {
    short: 'Fixes the random start, so a run can be repeated exactly.',
    long: 'The seed sets the initial weights, the data split and the order of the batches. Two runs with the same settings and seed give the same point; another seed shows how much of a difference is luck.',
  },
  'backend-select': {
    short: 'Train on the CPU or on the GPU through WebGPU.',
    long: 'Auto times the CPU on the model at hand; when the run is long enough for WebGPU to catch up (on a hardware GPU), it trains on both at once and keeps the first to finish, then remembers which was faster. Race does that on any adapter, to watch it. Small models are often faster on the CPU: launching GPU work has a fixed cost per step.',
    paper: SURVEY,
  },
  'sens-probe': {
    short: 'Compresses one layer at a time to see which layers tolerate it.',
    long: 'A sensitivity analysis: each layer alone is quantized or pruned, the others left as trained, and the test accuracy measured. Layers that hold up can give up bits or weights.',
    paper: HAN,
  },
  'mp-budget': {
    short: 'The largest model file, in bytes, the automation may produce.',
    long: 'Mixed precision and Shrink-and-Improve aim for this size; the bytes are those of the file the engine writes, header included.',
    paper: paper('Wang et al. 2019, HAQ: Hardware-Aware Automated Quantization', 'https://arxiv.org/abs/1811.08886'),
  },
  'se-budget-kind': {
    short: 'What every candidate of the search must fit within.',
    long: 'Successive halving trains many candidates briefly and gives more epochs only to the best: most of the work goes to the promising ones.',
    paper: paper('Li et al. 2018, Hyperband', 'https://arxiv.org/abs/1603.06560'),
  },
};

/** Term → definition, alphabetical. */
export const GLOSSARY = [
  ['Accuracy (test)', 'The share of held-out test examples the model classifies correctly.'],
  ['Batch', 'The examples used for one update step of training.'],
  [
    'Bytes (exported)',
    "The length of the model file the engine writes: weights as stored (bits, zeros left out, codebooks) plus a small header. What the chart's x axis shows by default.",
  ],
  ['Deflated bytes', "The file's size after general-purpose compression (DEFLATE, as in zip or gzip): what a download would cost."],
  ['Distillation', "Training a small student model on a trained teacher's outputs as well as the labels."],
  ['Epoch', 'One pass of training over every training example.'],
  ['Fine-tuning', 'A few more epochs of training after a compression step, so the model adapts to it.'],
  ['Footprint', 'What a model costs: bytes to store, MACs to run, milliseconds of latency.'],
  [
    'Grow-Improve-and-Shrink',
    "The survey's second strategy: grow a model (wider, deeper), improve its quality, then compress it back to the original footprint.",
  ],
  ['Latency', 'Measured time to classify one example, on this machine and backend.'],
  ['MACs', "Multiply-accumulate operations for one example's forward pass: the arithmetic a model costs, independent of the hardware."],
  ['Mixed precision', 'Different bit widths for different layers: more bits where a layer is sensitive.'],
  [
    'Pareto frontier',
    'The points no other point beats on both axes at once (smaller and more accurate). A model off the frontier is dominated: there is a better choice for its footprint.',
  ],
  [
    'Per-channel scale',
    "A quantization scale for each output unit of a layer instead of one for the whole layer, so one large weight does not coarsen every other unit's levels.",
  ],
  ['Pruning', 'Setting weights (or whole units) to zero and leaving them out of the file.'],
  ['Quantization', 'Storing numbers in fewer bits: each weight becomes one of 2^bits levels times a scale.'],
  ['QAT', "Quantization-aware training: fine-tuning with the quantization's rounding in the forward pass."],
  [
    'Shrink-and-Improve',
    "The survey's first strategy: shrink a model (prune, quantize, make it narrower), then improve its quality (fine-tuning, distillation).",
  ],
  ['Sparsity', 'The fraction of weights that are zero.'],
  ['Successive halving', 'A search that trains many candidates briefly, keeps the best fraction, and trains those longer, repeatedly.'],
];
