/**
 * A bidirectional LSTM layer with a hand-written backward pass (backpropagation through
 * time), used by DanQ and custom models with `lstmUnits`.
 *
 * Why not tfjs-layers' Bidirectional(LSTM): its gradient goes through tfjs' generic tape,
 * which keeps every per-step intermediate gradient (several kernel-sized tensors per time
 * step) alive until the whole backward pass ends: about 2.8 GB for DanQ's 320 units over
 * 75 steps, which on top of Adam's moments passes the WebAssembly backend's 4 GB heap and
 * aborts it. Here the forward pass saves only the gates and cell states (`[T, n, units]`
 * each) and the backward pass accumulates the weight gradients step by step, so memory is
 * a few MB beyond the weights; the input projection for all steps is one matrix product.
 *
 * Same maths and weight layout as Keras' Bidirectional(LSTM(units, recurrent_activation=
 * 'sigmoid'), merge_mode='concat'): gates in the order input, forget, cell, output;
 * weights [forward kernel `[d, 4u]`, forward recurrent kernel `[u, 4u]`, forward bias
 * `[4u]`, then the same for the backward direction]. The backward direction reads the
 * sequence from the end; with returnSequences its outputs are put back in input order, so
 * position t holds `[forward h_t, backward h_t]`.
 *
 * Input `[batch, steps, d]`; output `[batch, steps, 2u]` (returnSequences) or `[batch, 2u]`.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'

type T2 = tf.Tensor2D
type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>
type T3 = tf.Tensor3D

/**
 * One LSTM direction over `x` `[n, T, d]` (time order as given), with gradients for x, W, U, b.
 * Returns every step's h `[n, T, u]`.
 */
const lstmSequence = tf.customGrad(((x: T3, W: T2, U: T2, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  const [n, steps, d] = x.shape
  const units = U.shape[0]
  const { hs, gates, cs, value } = tf.tidy(() => {
    const xp = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [n * steps, d]), W), b), [n, steps, 4 * units])
    const xpSteps = tf.unstack(xp, 1) as T2[]
    let h = tf.zeros([n, units]) as T2
    let c = tf.zeros([n, units]) as T2
    const hList: T2[] = []
    const gateList: T2[] = []
    const cList: T2[] = []
    for (let t = 0; t < steps; t++) {
      const z = tf.add(xpSteps[t], tf.matMul(h, U))
      const [zi, zf, zg, zo] = tf.split(z, 4, 1)
      const i = tf.sigmoid(zi)
      const f = tf.sigmoid(zf)
      const g = tf.tanh(zg)
      const o = tf.sigmoid(zo)
      c = tf.add(tf.mul(f, c), tf.mul(i, g)) as T2
      h = tf.mul(o, tf.tanh(c)) as T2
      hList.push(h)
      gateList.push(tf.concat([i, f, g, o], 1) as T2)
      cList.push(c)
    }
    // [T, n, ...] stacks: what the backward pass needs, in few tensors.
    return { hs: tf.stack(hList), gates: tf.stack(gateList), cs: tf.stack(cList), value: tf.stack(hList, 1) as T3 }
  })
  save([x, W, U, hs, gates, cs])
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sW, sU, shs, sgates, scs] = saved as [T3, T2, T2, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D]
      return tf.tidy(() => {
        const dys = tf.unstack(dy, 1) as T2[]
        const hSteps = tf.unstack(shs) as T2[]
        const gSteps = tf.unstack(sgates) as T2[]
        const cSteps = tf.unstack(scs) as T2[]
        const zeros = tf.zeros([n, units]) as T2
        const UT = tf.transpose(sU)
        let dhNext: T2 = zeros
        let dcNext: T2 = zeros
        let dU = tf.zerosLike(sU) as T2
        const dzSteps: T2[] = new Array(steps)
        for (let t = steps - 1; t >= 0; t--) {
          const next = tf.tidy(() => {
            const [i, f, g, o] = tf.split(gSteps[t], 4, 1)
            const c = cSteps[t]
            const cPrev = t > 0 ? cSteps[t - 1] : zeros
            const hPrev = t > 0 ? hSteps[t - 1] : zeros
            const tc = tf.tanh(c)
            const dh = tf.add(dys[t], dhNext)
            const dct = tf.add(tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))), dcNext)
            const dz = tf.concat(
              [
                tf.mul(tf.mul(dct, g), tf.mul(i, tf.sub(1, i))),
                tf.mul(tf.mul(dct, cPrev), tf.mul(f, tf.sub(1, f))),
                tf.mul(tf.mul(dct, i), tf.sub(1, tf.square(g))),
                tf.mul(tf.mul(dh, tc), tf.mul(o, tf.sub(1, o))),
              ],
              1,
            ) as T2
            return { dz, dh: tf.matMul(dz, UT) as T2, dc: tf.mul(dct, f) as T2, dU: tf.add(dU, tf.matMul(hPrev, dz, true, false)) as T2 }
          })
          if (dhNext !== zeros) tf.dispose([dhNext, dcNext])
          dU.dispose()
          dhNext = next.dh
          dcNext = next.dc
          dU = next.dU
          dzSteps[t] = next.dz
        }
        const dz2d = tf.reshape(tf.stack(dzSteps, 1), [n * steps, 4 * units])
        const dx = tf.reshape(tf.matMul(dz2d, sW, false, true), [n, steps, d])
        const dW = tf.matMul(tf.reshape(sx, [n * steps, d]), dz2d, true, false)
        const db = tf.sum(dz2d, 0)
        return [dx, dW, dU, db]
      })
    },
  }
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T3, W: T2, U: T2, b: tf.Tensor1D) => T3

export interface BidirectionalLSTMArgs {
  units: number
  batchInputShape?: (number | null)[]
  trainable?: boolean
  returnSequences?: boolean
  name?: string
  inputShape?: number[]
  kernelInitializer?: Initializer
}

export class BidirectionalLSTM extends tfl.layers.Layer {
  static className = 'MotifLensBidirectionalLSTM'
  readonly units: number
  readonly returnSequences: boolean
  private readonly kernelInitializer: Initializer
  private w: tfl.LayerVariable[] = []

  constructor(args: BidirectionalLSTMArgs) {
    super({ name: args.name, inputShape: args.inputShape, batchInputShape: args.batchInputShape, trainable: args.trainable })
    this.units = args.units
    this.returnSequences = args.returnSequences ?? true
    this.kernelInitializer = args.kernelInitializer ?? tfl.initializers.glorotUniform({})
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape
    const d = shape[shape.length - 1] as number
    const u = this.units
    // Recurrent kernels and biases start at zero here; buildModel sets orthogonal kernels and forget-gate biases of 1.
    const zeros = tfl.initializers.zeros()
    this.w = []
    for (const dir of ['forward', 'backward']) {
      this.w.push(this.addWeight(`${dir}_kernel`, [d, 4 * u], 'float32', this.kernelInitializer))
      this.w.push(this.addWeight(`${dir}_recurrent_kernel`, [u, 4 * u], 'float32', zeros))
      this.w.push(this.addWeight(`${dir}_bias`, [4 * u], 'float32', zeros))
    }
    this.built = true
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape
    return this.returnSequences ? [shape[0], shape[1], 2 * this.units] : [shape[0], 2 * this.units]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as T3
      const [fk, fr, fb, bk, br, bb] = this.w.map((v) => v.read())
      const forward: T3 = lstmSequence(x, fk as T2, fr as T2, fb as tf.Tensor1D)
      const backward: T3 = lstmSequence(tf.reverse(x, 1) as T3, bk as T2, br as T2, bb as tf.Tensor1D)
      if (this.returnSequences) return tf.concat([forward, tf.reverse(backward, 1)], 2)
      const last = x.shape[1] - 1
      const pick = (y: T3) => tf.reshape(tf.slice(y, [0, last, 0], [-1, 1, -1]), [x.shape[0], this.units])
      return tf.concat([pick(forward), pick(backward)], 1)
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, returnSequences: this.returnSequences }
  }
}
tf.serialization.registerClass(BidirectionalLSTM)
