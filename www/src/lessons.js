// The guided lessons of the Learn panel (issue #15): a few short steps each, on the digits, with a
// paper to read; some steps ask the learner to predict before they move the control that matters
// (`predict`), and the engine's next point that does what the step says (`measure`) reveals the
// answer; each lesson closes with a challenge whose numeric target is checked against the
// learner's points that qualify for it — on the digits (or the challenge's `data`), using the
// technique it is about (`technique`, a chart family or 'distill'; null: any technique counts) —
// against its target (`limit` on its `size`, bytes unless it says, and `accuracy`),
// with a model answer kept hidden until asked for. Figures quoted in the
// texts and answers were measured with the default recipe (seeds 42 and 1) — see docs/WORKSHOP.md.
// learn-panel.js runs them.

import { TECHNIQUES, techniqueOf } from './techniques.js';
import { paper, SURVEY, JACOB, DEEP, ZHU, DENTON } from './papers.js';

// Helpers for `measure(point, context)`: the point's single step of `kind`, or its steps' kinds.
const only = (point, kind) => (point.spec.compress.length === 1 && point.spec.compress[0].kind === kind ? point.spec.compress[0] : null);
const kinds = (point) => point.spec.compress.map((s) => s.kind).join(',');
const points = (a, b) => 100 * (a.test_accuracy - b.test_accuracy); // a − b, in points
const acc = (p) => `${(100 * p.test_accuracy).toFixed(1)} %`;
const sizeOf = (p) => `${p.footprint.bytes.toLocaleString('en')} B`;
const signed = (d) => `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} points`;

// The usual question of a step: how far below the float model does accuracy land?
const DROP = ['less than 1 point', '1 to 5 points', 'more than 5 points'];
function drop(point, { float }) {
  const d = points(float, point);
  return {
    choice: d < 1 ? 0 : d <= 5 ? 1 : 2,
    text: `${acc(point)} at ${sizeOf(point)}, against ${acc(float)} at ${sizeOf(float)} for the float model: ${signed(-d)}.`,
  };
}
const TRAIN_FIRST = {
  text: 'Press Train to train the default model: an MLP with 64 hidden units on the 8×8 digits, 30 epochs. Its point is the float32 baseline on the chart: about 19.5 kB and 97–98 % test accuracy.',
  control: 'train',
};

/** The lessons, in teaching order. */
export const LESSONS = [
  {
    id: 'pareto',
    title: 'The Pareto frontier',
    paper: SURVEY,
    steps: [
      {
        text: 'Every point on the chart is a model: the bytes of its file (x) and its test accuracy (y). The survey behind this playground asks for models on the Pareto frontier: no other model is both smaller and more accurate. Press Train for the first point.',
        control: 'train',
      },
      {
        text: 'Tick Quantize weights: at 8 bits each weight takes a byte instead of four, and the file is about 3.6× smaller.',
        control: 'c-quantize',
        predict: {
          question: 'Will the float model still be on the frontier once the 8-bit point is saved?',
          choices: ['yes: it is more accurate than the 8-bit model', 'no: the 8-bit model is as accurate and smaller'],
        },
        measure(point, { float }) {
          const step = only(point, 'quantize');
          if (step?.bits !== 8) return null;
          const dominated = point.test_accuracy >= float.test_accuracy;
          return {
            choice: dominated ? 1 : 0,
            text: `int8: ${acc(point)} at ${sizeOf(point)}; float: ${acc(float)} at ${sizeOf(float)}. The float model is ${dominated ? 'dominated: it leaves the frontier' : 'more accurate, so it stays on the frontier, at the large end'}.`,
          };
        },
      },
      {
        text: 'Save point keeps the current model; Sweep fills a whole curve of the technique being set (here bits 8 → 1). The dashed line joins the frontier: every point off it has a better choice at its size.',
        control: 'sweep',
      },
    ],
    challenge: {
      text: 'Save a model of at most 2,000 bytes with at least 90 % test accuracy.',
      technique: null,
      limit: 2000,
      accuracy: 0.9,
      answer:
        '4 clusters (Cluster weights) make a 1.83 kB file at 96–98 %; so does pruning to 0.9 with fine-tuning, then 4-bit weights (1.87 kB, 95–96 %). Uniform 2-bit quantization fits the bytes but not the accuracy.',
    },
  },
  {
    id: 'boundaries',
    title: 'A 2D set: what compression does to a boundary',
    paper: SURVEY,
    steps: [
      {
        text: 'Set Data set to Circles, Hidden widths to 16, 16, and press Train: about 97–99 % in 1.7 kB. Inside the model draws the decision boundary: a ring between the two classes.',
        control: 'f-data-name',
      },
      {
        text: 'Tick Quantize weights and move Bits to 2, with per-channel scales: three levels per weight. Watch the ring in Inside the model as the point moves.',
        control: 'c-bits',
        predict: { question: 'With 2-bit weights, how much accuracy does the ring lose?', choices: DROP },
        measure: (point, context) =>
          point.spec.data.name === 'circles' && only(point, 'quantize')?.bits === 2 ? drop(point, context) : null,
      },
      {
        text: 'Untick Quantize weights and press +1 epoch (beside Train) a few times: each press trains the same model one epoch further from the start, and the boundary bends from a line into the ring.',
        control: 'step-epoch',
      },
    ],
    challenge: {
      text: 'On the circles, save a model of at most 800 bytes with at least 95 % test accuracy.',
      data: 'circles',
      technique: null,
      limit: 800,
      accuracy: 0.95,
      answer:
        'A smaller model: an MLP of 8 units in float32 is 480 B at 95–97.5 %; 3-bit weights of the 16-16 model make 797 B at 95–98 %. On a 2D task most of a wide model is spare.',
    },
  },
  {
    id: 'quantization',
    title: 'Quantization: fewer bits per weight',
    paper: JACOB,
    steps: [
      TRAIN_FIRST,
      {
        text: 'Quantization stores each weight as one of 2^bits evenly spaced levels times a scale. Tick Quantize weights, leave Bits at 8: 256 levels instead of a 32-bit float.',
        control: 'c-quantize',
        predict: { question: 'How much test accuracy do 8-bit weights cost?', choices: DROP },
        measure: (point, context) => (only(point, 'quantize')?.bits === 8 ? drop(point, context) : null),
      },
      {
        text: "Now untick Per-channel scales (one scale for the whole layer) and move Bits to 2. Symmetric 2-bit codes have three levels: −s, 0 and +s, where s is the layer's largest |weight|.",
        control: 'c-bits',
        predict: {
          question: 'With one scale per layer at 2 bits, where does accuracy land?',
          choices: ['within 5 points of float', '5 to 30 points lower', 'more than 30 points lower'],
        },
        measure(point, { float }) {
          const step = only(point, 'quantize');
          if (step?.bits !== 2 || step.per_channel || !step.symmetric) return null;
          const d = points(float, point);
          return {
            choice: d <= 5 ? 0 : d <= 30 ? 1 : 2,
            text: `${acc(point)} at ${sizeOf(point)}: ${signed(-d)} against float. One large weight (an outlier) sets s for the whole layer, so almost every other weight rounds to 0.`,
          };
        },
      },
      {
        text: 'Tick Per-channel scales: each unit gets its own s, set by its own largest weight, so one outlier coarsens only its own unit.',
        control: 'c-per-channel',
        predict: {
          question: 'At 2 bits, what do per-channel scales do to accuracy?',
          choices: ['raise it by more than 2 points', 'leave it within 2 points', 'lower it by more than 2 points'],
        },
        measure(point, { previous }) {
          const step = only(point, 'quantize');
          if (step?.bits !== 2 || !step.per_channel) return null;
          if (!previous)
            return {
              choice: null,
              text: `${acc(point)} at ${sizeOf(point)}. Go back a step to measure the per-layer scale first, then compare.`,
            };
          const d = points(point, previous);
          return {
            choice: d > 2 ? 0 : d >= -2 ? 1 : 2,
            text: `${acc(point)} at ${sizeOf(point)}, against ${acc(previous)} with one scale per layer: ${signed(d)}, for ${point.footprint.bytes - previous.footprint.bytes} more bytes of scales.`,
          };
        },
      },
    ],
    challenge: {
      text: 'Make the smallest file you can with at least 95 % test accuracy: the target is at most 2,800 bytes.',
      technique: 'quantize',
      limit: 2800,
      accuracy: 0.95,
      answer:
        '3 bits with per-channel scales: 2.74–2.78 kB at 97–98 %. 4 bits with one scale per layer is 2.9–3.0 kB; 2 bits lose too much without fine-tuning (QAT helps).',
    },
  },
  {
    id: 'pruning',
    title: 'Pruning: one-shot, fine-tuned, gradual',
    paper: ZHU,
    steps: [
      TRAIN_FIRST,
      {
        text: 'Magnitude pruning sets the smallest weights to zero and leaves them out of the file (Han et al. 2015). Tick Prune weights and move Sparsity to 0.8: one weight in five is kept.',
        control: 'c-sparsity',
        predict: { question: 'Pruned to 0.8 at once, without retraining: how much accuracy is lost?', choices: DROP },
        measure: (point, context) =>
          only(point, 'prune') && Math.abs(only(point, 'prune').sparsity - 0.8) < 0.01 ? drop(point, context) : null,
      },
      {
        text: 'Tick Fine-tune after pruning: the kept weights train again for the Fine-tune epochs, with the zeros held at zero.',
        control: 'c-fine-tune',
        predict: { question: 'After fine-tuning, how far below the float model is the pruned one?', choices: DROP },
        measure: (point, context) => (kinds(point) === 'prune,fine_tune' ? drop(point, context) : null),
      },
      {
        text: 'Gradual pruning raises the sparsity a little at a time and fine-tunes after each stage (Zhu & Gupta 2017). Move Sparsity to 0.9 and set Pruning stages to 4. One-shot pruning to 0.9 without fine-tuning falls to 67–69 %.',
        control: 'c-stages',
        predict: { question: 'Gradually pruned to 0.9: how far below the float model?', choices: DROP },
        measure: (point, context) => (only(point, 'gradual_prune') ? drop(point, context) : null),
      },
    ],
    challenge: {
      text: 'Keep at least 95 % test accuracy with at most 600 non-zero parameters (the float model has 4,810).',
      technique: 'prune',
      size: (p) => p.footprint.nonzero_params,
      unit: 'non-zero parameters',
      limit: 600,
      accuracy: 0.95,
      answer:
        'Sparsity 0.9 with Fine-tune after pruning, or with 4 gradual stages: 548 non-zero parameters (biases are kept) at 95.5–97 %.',
    },
  },
  {
    id: 'clustering',
    title: 'Clustering: shared weights',
    paper: DEEP,
    steps: [
      TRAIN_FIRST,
      {
        text: 'Clustering replaces each weight by the nearest of k shared values found by k-means; the file stores the k values and a log2(k)-bit index per weight. Tick Cluster weights with 16 clusters (4-bit indices).',
        control: 'c-clusters',
        predict: { question: 'How much accuracy do 16 shared values per layer cost?', choices: DROP },
        measure: (point, context) => (only(point, 'cluster')?.clusters === 16 ? drop(point, context) : null),
      },
      {
        text: 'Move Clusters to 4: 2-bit indices. Uniform 2-bit quantization of the same model keeps only 70–77 %.',
        control: 'c-clusters',
        predict: { question: 'With 4 shared values per layer, how much accuracy is lost?', choices: DROP },
        measure: (point, context) => (only(point, 'cluster')?.clusters === 4 ? drop(point, context) : null),
      },
    ],
    challenge: {
      text: 'Save a model of at most 2,000 bytes with at least 96 % test accuracy.',
      technique: 'cluster',
      limit: 2000,
      accuracy: 0.96,
      answer:
        "4 clusters: about 1.83 kB at 96–98 %. The centroids sit where the weights are, where quantization's levels are evenly spaced.",
    },
  },
  {
    id: 'low-rank',
    title: 'Low rank: two thin layers for one',
    paper: DENTON,
    steps: [
      TRAIN_FIRST,
      {
        text: 'A 64×64 weight matrix of rank r is the product of a 64×r and an r×64 matrix (the truncated SVD). Tick Low-rank first layer and set Rank to 16: a quarter of the rank. Inside the model shows the singular values.',
        control: 'c-rank',
        predict: { question: 'With the first layer at rank 16, how much accuracy is lost?', choices: DROP },
        measure: (point, context) => (only(point, 'low_rank')?.choose?.rank === 16 ? drop(point, context) : null),
      },
      {
        text: 'Move Rank to 4: the first layer keeps 4 × (64 + 64) = 512 weights of its 4,096.',
        control: 'c-rank',
        predict: { question: 'At rank 4, how much accuracy is lost?', choices: DROP },
        measure: (point, context) => (only(point, 'low_rank')?.choose?.rank === 4 ? drop(point, context) : null),
      },
    ],
    challenge: {
      text: "Keep at least 97 % test accuracy with at most 3,000 MACs per example (the float model needs 4,736). Set the chart's x axis to MACs to see them.",
      technique: 'low_rank',
      size: (p) => p.effective_macs,
      unit: 'MACs',
      limit: 3000,
      accuracy: 0.97,
      answer: 'Rank 16: 2,688 MACs at 97.5–98 %; rank 8 (2,048 MACs) falls to about 94 %.',
    },
  },
  {
    id: 'distillation',
    title: 'Distillation: a small student, a large teacher',
    paper: paper('Hinton et al. 2015, Distilling the Knowledge in a Neural Network', 'https://arxiv.org/abs/1503.02531'),
    steps: [
      {
        text: 'First a teacher: set Hidden widths to 256 and press Train (about 77 kB at 98.6–98.9 %).',
        control: 'f-model-hidden',
      },
      {
        text: 'Then a student trained alone, to compare with: Hidden widths 16, Distill from none, Train (about 5 kB).',
        control: 'f-model-hidden',
      },
      {
        text: "Now the same student learns from the teacher's softened probabilities as well as the labels: choose the 256-unit model in Distill from and press Train.",
        control: 'd-teacher',
        predict: {
          question: 'Will the distilled MLP 16 beat the one trained alone?',
          choices: ['yes, by more than 1 point', 'within 1 point either way', 'no, it is more than 1 point worse'],
        },
        measure(point, { runs }) {
          const student = JSON.stringify(point.spec.model);
          if (!point.spec.distill || point.spec.compress.length) return null;
          const alone = runs.findLast((p) => !p.spec.distill && !p.spec.compress.length && JSON.stringify(p.spec.model) === student);
          if (!alone)
            return { choice: null, text: `${acc(point)} at ${sizeOf(point)}. Train the same model without a teacher to compare.` };
          const d = points(point, alone);
          const why =
            d > 1
              ? 'The teacher\'s probabilities say how alike the classes are ("this 7 looks a bit like a 1"), which the labels alone do not.'
              : 'On these clean digits a small student learns the labels well by itself; distillation helps most where labels are noisy or examples few.';
          return { choice: d > 1 ? 0 : d >= -1 ? 1 : 2, text: `Distilled: ${acc(point)}; alone: ${acc(alone)} (${signed(d)}). ${why}` };
        },
      },
    ],
    challenge: {
      text: 'Train a distilled student of at most 8,000 bytes with at least 96 % test accuracy.',
      technique: 'distill',
      limit: 8000,
      accuracy: 0.96,
      answer:
        'An MLP 16 distilled from the MLP 256 at temperature 4, α 0.7: about 5.2 kB at 96–98 % (seeds 1 and 42); alone it reaches 96.4–96.9 %.',
    },
  },
];

// A challenge's target: its size (bytes, unless it says: `size` and its `unit`) at most `limit`,
// test accuracy at least `accuracy`.
const bytes = (p) => p.footprint.bytes;
for (const { challenge } of LESSONS) {
  challenge.size ??= bytes;
  challenge.unit ??= 'B';
  challenge.met = (p) => challenge.size(p) <= challenge.limit && p.test_accuracy >= challenge.accuracy;
}

const TECHNIQUE_WORDS = {
  quantize: 'use quantization',
  prune: 'use pruning',
  cluster: 'use clustering',
  low_rank: 'use low rank',
  distill: 'are distilled',
};

/** Which points a challenge counts, in words: "points on digits that use quantization". */
export function scope(challenge) {
  const data = challenge.data ?? 'digits';
  return challenge.technique ? `points on ${data} that ${TECHNIQUE_WORDS[challenge.technique]}` : `points on ${data}, any technique`;
}

// Whether point `p` counts for a challenge: its data set, and the technique it is about.
function qualifies(challenge, p) {
  if (p.spec.data.name !== (challenge.data ?? 'digits')) return false;
  if (challenge.technique === 'distill') return Boolean(p.spec.distill);
  return !challenge.technique || p.spec.compress.some((step) => TECHNIQUES[techniqueOf(step.kind)]?.family === challenge.technique);
}

/** {counted: the points that qualify, best: the smallest of them (by the challenge's size; the more
 * accurate of equals) that meets the target, or null}. */
export function judge(challenge, points) {
  const counted = points.filter((p) => qualifies(challenge, p));
  const size = challenge.size ?? bytes;
  const best = counted.filter(challenge.met).sort((a, b) => size(a) - size(b) || b.test_accuracy - a.test_accuracy)[0] ?? null;
  return { counted, best };
}
