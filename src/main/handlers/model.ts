import type { ModelSummary } from '../../shared/types.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import { listPresets, planShapes } from '../models/index.js'
import type { HandlerDeps } from './index.js'

const KERAS_TYPES: Record<string, string> = {
  conv1d: 'Conv1D',
  maxpool: 'MaxPooling1D',
  globalmaxpool: 'GlobalMaxPooling1D',
  batchnorm: 'BatchNormalization',
  activation: 'Activation',
  dropout: 'Dropout',
  simplernn: 'SimpleRNN',
  lstm: 'LSTM',
  bilstm: 'Bidirectional(LSTM)',
  flatten: 'Flatten',
  dense: 'Dense',
}

export function modelHandlers(_deps: HandlerDeps): Pick<HandlerMap, 'model:presets' | 'model:summary'> {
  return {
    async 'model:presets'() {
      return { presets: listPresets() }
    },
    // from the layer plan, without allocating weights: DanQ at 919 targets has 46 M of them
    async 'model:summary'({ model, input }) {
      const rows = planShapes(model, input)
      const summary: ModelSummary = {
        rows: rows.map((r) => ({ name: r.layer.name, type: KERAS_TYPES[r.layer.type] ?? r.layer.type, outputShape: [null, ...r.shape], params: r.params })),
        total: rows.reduce((s, r) => s + r.params, 0),
        trainable: rows.reduce((s, r) => s + (r.trainable < 0 ? r.params : r.trainable), 0),
        nonTrainable: 0,
      }
      summary.nonTrainable = summary.total - summary.trainable
      return summary
    },
  }
}
