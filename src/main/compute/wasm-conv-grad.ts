/**
 * Convolution gradient kernels for the `wasm` backend, built from the backend's own kernels.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` (so no conv layer can train on it),
 * and its `Conv2DBackpropInput` is a naive loop about 7x slower than the forward conv. Both
 * gradients are correlations, so both are rewritten here as one forward `Conv2D` (XNNPACK,
 * fast) plus transposes and padding:
 *
 *   filter gradient  dW[kh,kw,c,f] = sum_{n,i,j} x[n, i*sh+kh-pt, j*sw+kw-pl, c] * dy[n,i,j,f]
 *     = Conv2D(input  X' = pad(x)^T  [C, Hp, Wp, N]   (channels become the batch),
 *              filter D' = dy^T      [Ho, Wo, N, F]   (batch becomes the input channels),
 *              strides 1, dilations (sh, sw))  -> [C, kh', kw', F], cropped and transposed.
 *   input gradient (stride 1)  dx = Conv2D(pad(dy, k-1-p), reverse(W) with C/F swapped).
 *
 * tfjs Conv1D layers run as Conv2D on a height-1 image [N, 1, L, C] with filter
 * [1, K, C, F], so these cover every Conv1D stride/padding. tfjs itself rejects gradients of
 * dilated convolutions on every backend, so dilations are always 1 here.
 * Shapes are NHWC (channels last), the only layout the wasm Conv2D forward kernel accepts.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core'

type Backend = tf.KernelBackend & { disposeData(dataId: object): boolean }
type Attrs = Record<string, unknown>

/** Call another registered wasm kernel directly; the caller owns (and disposes) the result. */
function runKernel(name: string, inputs: Record<string, TensorInfo>, attrs: Attrs, backend: Backend): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm')
  if (!kernel) throw new Error(`wasm kernel '${name}' is not registered`)
  return kernel.kernelFunc({ inputs, attrs: attrs as never, backend }) as TensorInfo
}

/** Disposes every intermediate made through it, in one place. */
class Scratch {
  private readonly made: TensorInfo[] = []
  constructor(readonly backend: Backend) {}
  run(name: string, inputs: Record<string, TensorInfo>, attrs: Attrs): TensorInfo {
    const out = runKernel(name, inputs, attrs, this.backend)
    this.made.push(out)
    return out
  }
  /** Hand `result` to the caller and free everything else. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.made) if (t !== result) this.backend.disposeData(t.dataId)
    return result
  }
  fail(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId)
  }
}

function assertNHWC(attrs: Attrs): void {
  // The wasm forward Conv2D already refuses NCHW, so a gradient can never be asked for one.
  if (attrs.dataFormat === 'NCHW') throw new Error("wasm conv gradients support dataFormat 'NHWC' only")
}

function filterGradient(args: { inputs: Record<string, TensorInfo>; attrs: Attrs; backend: Backend }): TensorInfo {
  const { backend, attrs } = args
  assertNHWC(attrs)
  const { x, dy } = args.inputs
  const s = new Scratch(backend)
  try {
    const filterShape = attrs.filterShape as [number, number, number, number]
    const strides = attrs.strides as number | [number, number]
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      attrs.pad as 'valid',
      attrs.dimRoundingMode as 'round' | undefined,
    )
    const { top, bottom, left, right } = info.padInfo
    const [kh, kw, inC, outC] = filterShape
    // X': channels act as the batch, the batch as input channels: [C, H, W, N], zero-padded.
    let xt = s.run('Transpose', { x }, { perm: [3, 1, 2, 0] })
    if (top || bottom || left || right) {
      xt = s.run('PadV2', { x: xt }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 })
    }
    // D': the output gradient as a filter [Ho, Wo, N, F].
    const dyt = s.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] })
    const conv = s.run(
      'Conv2D',
      { x: xt, filter: dyt },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined },
    )
    // The correlation can run past the filter when the stride leaves unused input: crop it.
    let cropped = conv
    if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
      cropped = s.run('Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [inC, kh, kw, outC] })
    }
    return s.finish(s.run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }))
  } catch (e) {
    s.fail()
    throw e
  }
}

let originalBackpropInput: KernelConfig | undefined

function inputGradient(args: { inputs: Record<string, TensorInfo>; attrs: Attrs; backend: Backend }): TensorInfo {
  const { backend, attrs } = args
  assertNHWC(attrs)
  const { dy, filter } = args.inputs
  const [kh, kw] = filter.shape
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as 'valid',
    attrs.dimRoundingMode as 'round' | undefined,
  )
  const { top, bottom, left, right } = info.padInfo
  const padding = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right]
  // Strided convs would need dy dilated with zeros; keep the original kernel for those (rare here).
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || padding.some((p) => p < 0)) {
    if (!originalBackpropInput) throw new Error('original wasm Conv2DBackpropInput missing')
    return originalBackpropInput.kernelFunc(args as never) as TensorInfo
  }
  const s = new Scratch(backend)
  try {
    const padded = padding.every((p) => p === 0)
      ? dy
      : s.run('PadV2', { x: dy }, { paddings: [[0, 0], [padding[0], padding[1]], [padding[2], padding[3]], [0, 0]], constantValue: 0 })
    // Rotate the filter 180 degrees and swap its channel roles: [kh, kw, C, F] -> [kh, kw, F, C].
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] })
    const swapped = s.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] })
    const dx = s.run(
      'Conv2D',
      { x: padded, filter: swapped },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined },
    )
    return s.finish(dx)
  } catch (e) {
    s.fail()
    throw e
  }
}

let registered = false

/**
 * Register the training kernels the wasm backend lacks or runs slowly. Idempotent; safe to
 * call before or after the wasm backend initialises.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return
  registered = true
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: filterGradient as unknown as KernelFunc })
  }
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm')
  if (original) {
    originalBackpropInput = original
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm')
    tf.registerKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      // The original's setup binds its C++ entry point; keep it for the strided fallback.
      setupFunc: original.setupFunc,
      kernelFunc: inputGradient as unknown as KernelFunc,
    })
  }
}
