// The papers the page's explanations and lessons cite.

export const paper = (title, url) => ({ title, url });
export const SURVEY = paper('Menghani 2021, Efficient Deep Learning', 'https://arxiv.org/abs/2106.08962');
export const JACOB = paper(
  'Jacob et al. 2018, Quantization and Training of Neural Networks for Integer-Arithmetic-Only Inference',
  'https://arxiv.org/abs/1712.05877',
);
export const HAN = paper('Han et al. 2015, Learning both Weights and Connections', 'https://arxiv.org/abs/1506.02626');
export const DEEP = paper('Han et al. 2016, Deep Compression', 'https://arxiv.org/abs/1510.00149');
export const ZHU = paper('Zhu & Gupta 2017, To prune, or not to prune', 'https://arxiv.org/abs/1710.01878');
export const DENTON = paper(
  'Denton et al. 2014, Exploiting Linear Structure Within Convolutional Networks',
  'https://arxiv.org/abs/1404.0736',
);
