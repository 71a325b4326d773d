/**
 * Benchmark workloads: fixed architectures, batch sizes and optimizer, mirrored layer for
 * layer by scripts/bench/torch_reference.py so the PyTorch numbers are a like-for-like
 * reference. Inputs are random one-hot DNA `[n, length, 4]` (channels last), targets random
 * 0/1 `[n, targets]`, loss binary cross-entropy, optimizer Adam (lr 1e-3).
 *
 * Layer sizes of deepsea and danq follow the papers (Zhou & Troyanskaya 2015; Quang & Xie
 * 2016); `samples` is kept small because a bench only needs a few steps per epoch.
 */
import * as tfl from '@tensorflow/tfjs-layers'
import { mulberry32 as rng } from '../models/random.js'

export interface Workload {
  name: WorkloadName
  /** Sequence length in bp. */
  length: number
  targets: number
  batchSize: number
  /** Training samples per epoch. */
  samples: number
  /** Batch size for the inference measurement. */
  inferBatchSize: number
  /** One line for humans. */
  description: string
  build(): tfl.LayersModel
}

export const WORKLOAD_NAMES = ['motif-cnn', 'danq-lite', 'deepsea', 'danq'] as const
export type WorkloadName = (typeof WORKLOAD_NAMES)[number]
/** What `motiflens bench` runs without --workloads (the two that gate the speed issue). */
export const DEFAULT_WORKLOADS: WorkloadName[] = ['motif-cnn', 'danq-lite']

// Gates use the logistic sigmoid like torch.nn.LSTM (tfjs' default is hard sigmoid).
// Recurrent kernels use glorot-uniform, not tfjs' default orthogonal: its QR decomposition
// takes minutes at DanQ size, and initial values do not change the cost of a step.
const lstm = (units: number) =>
  tfl.layers.lstm({ units, returnSequences: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }) as unknown as tfl.RNN

export const WORKLOADS: Record<WorkloadName, Workload> = {
  'motif-cnn': {
    name: 'motif-cnn',
    length: 200,
    targets: 1,
    batchSize: 64,
    samples: 4096,
    inferBatchSize: 256,
    description: 'Conv1D 32x15 relu, global max-pool, Dense 1 sigmoid; 200 bp',
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv1d({ inputShape: [200, 4], filters: 32, kernelSize: 15, activation: 'relu' }),
          tfl.layers.globalMaxPooling1d(),
          tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      }),
  },
  'danq-lite': {
    name: 'danq-lite',
    length: 500,
    targets: 10,
    batchSize: 64,
    samples: 1024,
    inferBatchSize: 256,
    description: 'Conv1D 64x19 relu, max-pool 13, dropout 0.2, BiLSTM 32 (concat, sequences), Dense 64 relu, Dense 10 sigmoid; 500 bp',
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv1d({ inputShape: [500, 4], filters: 64, kernelSize: 19, activation: 'relu' }),
          tfl.layers.maxPooling1d({ poolSize: 13 }),
          tfl.layers.dropout({ rate: 0.2 }),
          tfl.layers.bidirectional({ layer: lstm(32), mergeMode: 'concat' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 64, activation: 'relu' }),
          tfl.layers.dense({ units: 10, activation: 'sigmoid' }),
        ],
      }),
  },
  deepsea: {
    name: 'deepsea',
    length: 1000,
    targets: 919,
    batchSize: 16,
    samples: 64,
    inferBatchSize: 64,
    description: 'DeepSEA: Conv 320x8, pool 4, Conv 480x8, pool 4, Conv 960x8, dropout, Dense 925, Dense 919 sigmoid; 1000 bp',
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv1d({ inputShape: [1000, 4], filters: 320, kernelSize: 8, activation: 'relu' }),
          tfl.layers.maxPooling1d({ poolSize: 4 }),
          tfl.layers.dropout({ rate: 0.2 }),
          tfl.layers.conv1d({ filters: 480, kernelSize: 8, activation: 'relu' }),
          tfl.layers.maxPooling1d({ poolSize: 4 }),
          tfl.layers.dropout({ rate: 0.2 }),
          tfl.layers.conv1d({ filters: 960, kernelSize: 8, activation: 'relu' }),
          tfl.layers.dropout({ rate: 0.5 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 925, activation: 'relu' }),
          tfl.layers.dense({ units: 919, activation: 'sigmoid' }),
        ],
      }),
  },
  danq: {
    name: 'danq',
    length: 1000,
    targets: 919,
    batchSize: 16,
    samples: 64,
    inferBatchSize: 64,
    description: 'DanQ: Conv 320x26, pool 13, dropout 0.2, BiLSTM 320, dropout 0.5, Dense 925, Dense 919 sigmoid; 1000 bp',
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv1d({ inputShape: [1000, 4], filters: 320, kernelSize: 26, activation: 'relu' }),
          tfl.layers.maxPooling1d({ poolSize: 13 }),
          tfl.layers.dropout({ rate: 0.2 }),
          tfl.layers.bidirectional({ layer: lstm(320), mergeMode: 'concat' }),
          tfl.layers.dropout({ rate: 0.5 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 925, activation: 'relu' }),
          tfl.layers.dense({ units: 919, activation: 'sigmoid' }),
        ],
      }),
  },
}

export function isWorkloadName(name: string): name is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(name)
}

/** Random one-hot DNA, `[n, length, 4]` row-major (channels last). */
export function randomOneHot(n: number, length: number, seed = 1): Float32Array {
  const next = rng(seed)
  const out = new Float32Array(n * length * 4)
  for (let i = 0; i < n * length; i++) out[i * 4 + Math.floor(next() * 4)] = 1
  return out
}

/** Random 0/1 targets, `[n, targets]`. */
export function randomTargets(n: number, targets: number, seed = 2): Float32Array {
  const next = rng(seed)
  const out = new Float32Array(n * targets)
  for (let i = 0; i < out.length; i++) out[i] = next() < 0.5 ? 1 : 0
  return out
}
