/**
 * Chained tensor methods (`t.flatten()`, `t.mul(b)`, ...) for a tfjs-core loaded as CommonJS.
 *
 * @tensorflow/tfjs-layers calls some of them internally (the Orthogonal initializer of every
 * LSTM/GRU recurrent kernel calls `rMat.flatten()`), but only the `@tensorflow/tfjs` union
 * package registers them, through an ESM-only file that plain Node cannot import (its relative
 * imports have no extensions). This module installs the same methods on tfjs's global Tensor
 * class, each a one-line call of the functional op, and never replaces existing ones.
 * Importing it is enough (backend.ts does).
 */
import * as tf from '@tensorflow/tfjs-core'

/** Methods that are exactly `op(this, ...args)` in tfjs-core's chained_ops. */
const DIRECT = (
  'abs acos acosh add all any argMax argMin asin asinh atan atan2 atanh batchToSpaceND batchNorm broadcastTo cast ' +
  'ceil clipByValue conv1d conv2d conv2dTranspose cos cosh cumprod cumsum depthToSpace depthwiseConv2d div divNoNan ' +
  'dot elu equal erf euclideanNorm exp expandDims expm1 fft floor floorDiv gather greater greaterEqual ifft irfft ' +
  'isFinite isInf isNaN leakyRelu less lessEqual localResponseNormalization log log1p logSigmoid logSoftmax ' +
  'logSumExp logicalAnd logicalNot logicalOr logicalXor matMul max maximum mean min minimum mirrorPad mod mul neg ' +
  'norm notEqual oneHot onesLike pad pool pow prelu prod reciprocal relu relu6 reshape resizeBilinear ' +
  'resizeNearestNeighbor reverse rfft round rsqrt selu separableConv2d sigmoid sign sin sinh slice softmax ' +
  'softplus spaceToBatchND split sqrt square squaredDifference squeeze step stridedSlice sub sum tan tanh tile topk ' +
  'transpose unique unstack zerosLike'
).split(' ')

type AnyFn = (...args: unknown[]) => unknown

export function installChainedOps(): void {
  const ops = tf as unknown as Record<string, AnyFn>
  const proto = (tf.Tensor as unknown as { prototype: Record<string, unknown> }).prototype
  // Methods are looked up on the global Tensor class (shared by every tfjs-core copy).
  const globalProto = (
    (globalThis as Record<string, unknown>)._tfGlobals as Map<string, { prototype: Record<string, unknown> }> | undefined
  )?.get('Tensor')?.prototype
  for (const target of new Set([proto, globalProto].filter((p): p is Record<string, unknown> => p !== undefined))) {
    const define = (name: string, f: (this: tf.Tensor, ...args: unknown[]) => unknown) => {
      if (!(name in target)) Object.defineProperty(target, name, { value: f, writable: true, configurable: true })
    }
    for (const name of DIRECT) {
      const op = ops[name]
      if (typeof op === 'function') define(name, function (...args) { return op(this, ...args) })
    }
    define('flatten', function () { return tf.reshape(this, [this.size]) })
    define('as1D', function () { return tf.reshape(this, [this.size]) })
    define('as2D', function (r, c) { return tf.reshape(this, [r as number, c as number]) })
    define('as3D', function (r, c, d) { return tf.reshape(this, [r, c, d] as number[]) })
    define('as4D', function (r, c, d, e) { return tf.reshape(this, [r, c, d, e] as number[]) })
    define('as5D', function (r, c, d, e, f) { return tf.reshape(this, [r, c, d, e, f] as number[]) })
    define('asScalar', function () { return tf.reshape(this, []) })
    define('reshapeAs', function (x) { return tf.reshape(this, (x as tf.Tensor).shape) })
    define('asType', function (dtype) { return tf.cast(this, dtype as tf.DataType) })
    define('toFloat', function () { return tf.cast(this, 'float32') })
    define('toInt', function () { return tf.cast(this, 'int32') })
    define('toBool', function () { return tf.cast(this, 'bool') })
    define('concat', function (x, axis) { return tf.concat([this, ...(x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]))], axis as number) })
    define('stack', function (x, axis) { return tf.stack([this, ...(x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]))], axis as number) })
    define('where', function (condition, x) { return tf.where(condition as tf.Tensor, this, x as tf.Tensor) })
  }
}

installChainedOps()
