import type { DataSpec } from '../../shared/types.js'
import { inspectDataSpec } from '../data/index.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import type { PathGate } from '../security/path-gate.js'
import type { HandlerDeps } from './index.js'

/** Every file a spec names, checked against the gate; returns the spec with resolved paths. */
export async function checkSpecPaths(spec: DataSpec, gate: PathGate): Promise<DataSpec> {
  const one = (p: string) => gate.check(p)
  const many = (ps: string[] | undefined) => (ps ? Promise.all(ps.map(one)) : Promise.resolve(undefined))
  return {
    ...spec,
    positives: await many(spec.positives),
    negatives: await many(spec.negatives),
    fasta: await many(spec.fasta),
    labels: spec.labels === undefined ? undefined : await one(spec.labels),
  }
}

export function dataHandlers({ shell, cacheDir }: HandlerDeps): Pick<HandlerMap, 'data:inspect'> {
  return {
    async 'data:inspect'({ spec }) {
      const checked = await checkSpecPaths(spec, shell.paths)
      return inspectDataSpec(checked, { cacheDir })
    },
  }
}
