/**
 * Models as TensorFlow.js "layers-model" files (model.json + weights.bin), written and read
 * with our own IO handlers: tfjs-node's file:// handler does not exist on the wasm and cpu
 * backends, and this way the same code serves every backend.
 *
 * The optimizer's state (moments, iteration count) is stored the same way, as
 * optimizer.json (names, shapes, dtypes, optimizer class and config) + optimizer.bin.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { UserError } from '../errors.js'
// Registers the custom BiLSTM layer class so its model.json deserialises.
import '../models/bilstm.js'

function joinBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  return new Uint8Array(Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data)
}

/** The files of a model: `model.json` (topology + weights manifest) and `weights.bin`. */
export async function modelFiles(model: tfl.LayersModel): Promise<Record<string, string | Uint8Array>> {
  let files: Record<string, string | Uint8Array> | undefined
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? joinBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]) : new Uint8Array(0)
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      }
      files = { 'model.json': JSON.stringify(json), 'weights.bin': weights }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) }
    }),
  )
  if (!files) throw new Error('model.save did not call the save handler')
  return files
}

/** Load a model written by `modelFiles` (or any single-shard TFJS layers model) from a folder. */
export async function loadModelDir(dir: string): Promise<tfl.LayersModel> {
  let json: {
    modelTopology: object
    format?: string
    generatedBy?: string
    convertedBy?: string | null
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
  }
  try {
    json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'))
  } catch (e) {
    throw new UserError(`${join(dir, 'model.json')}: cannot read the model (${(e as Error).message}); is this a MotifLens run folder?`)
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = []
  const buffers: Uint8Array[] = []
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights)
    for (const p of group.paths) buffers.push(await readFile(join(dir, p)))
  }
  const total = buffers.reduce((s, b) => s + b.byteLength, 0)
  const weightData = new Uint8Array(total)
  let offset = 0
  for (const b of buffers) {
    weightData.set(b, offset)
    offset += b.byteLength
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs,
    weightData: weightData.buffer,
  }
  return tfl.loadLayersModel({ load: async () => artifacts })
}

interface OptimizerJson {
  className: string
  config: Record<string, unknown>
  weights: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[]
}

/** Optimizer state as files; the iteration tensor tfjs creates for this is freed here. */
export async function optimizerFiles(optimizer: tf.Optimizer): Promise<Record<string, string | Uint8Array>> {
  const named = await optimizer.getWeights()
  try {
    const meta: OptimizerJson = { className: optimizer.getClassName(), config: optimizer.getConfig() as Record<string, unknown>, weights: [] }
    const parts: Uint8Array[] = []
    for (const { name, tensor } of named) {
      const values = await tensor.data()
      meta.weights.push({ name, shape: tensor.shape, dtype: tensor.dtype === 'int32' ? 'int32' : 'float32' })
      parts.push(new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)))
    }
    const bin = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0))
    let offset = 0
    for (const p of parts) {
      bin.set(p, offset)
      offset += p.byteLength
    }
    return { 'optimizer.json': JSON.stringify(meta), 'optimizer.bin': bin }
  } finally {
    // getWeights returns the optimizer's own variables plus a fresh 'iter' scalar: free only that.
    for (const { name, tensor } of named) if (name === 'iter') tensor.dispose()
  }
}

/** Restore state saved by `optimizerFiles` into a fresh optimizer of the same class. */
export async function restoreOptimizer(optimizer: tf.Optimizer, dir: string): Promise<void> {
  const meta = JSON.parse(await readFile(join(dir, 'optimizer.json'), 'utf8')) as OptimizerJson
  if (meta.className !== optimizer.getClassName()) {
    throw new UserError(`${dir}: the checkpoint's optimizer is ${meta.className}, this run uses ${optimizer.getClassName()}; resume with the same --optimizer`)
  }
  const bin = await readFile(join(dir, 'optimizer.bin'))
  let offset = 0
  const named: Parameters<tf.Optimizer['setWeights']>[0] = meta.weights.map(({ name, shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1)
    const bytes = bin.buffer.slice(bin.byteOffset + offset, bin.byteOffset + offset + 4 * size)
    offset += 4 * size
    const values = dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes)
    return { name, tensor: tf.tensor(values, shape, dtype) }
  })
  await optimizer.setWeights(named)
  tf.dispose(named.map((n) => n.tensor))
}
