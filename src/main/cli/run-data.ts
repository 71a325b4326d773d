import { dataSpecFromArgs, hasDataSource } from '../data/cli-flags.js'
import { loadDataset, type PackedDataset } from '../data/index.js'
import { UserError } from '../errors.js'
import type { RunRecord } from '../train/index.js'
import type { ParsedArgs } from './args.js'

/**
 * The data a command reads a trained run with (`evaluate`, `motifs`): the run's own data
 * (recorded in run.json) when no data is given, else the given data fitted to the model's
 * input length and alphabet. Fails with the flag to add when the data cannot fit the model.
 */
export async function loadRunData(run: RunRecord, dir: string, args: ParsedArgs, fasta: string[], command: string, cwd: string): Promise<PackedDataset> {
  const parsed = dataSpecFromArgs({ ...args, positionals: fasta }, command, { cwd })
  let spec = parsed.spec
  if (!hasDataSource(args) && fasta.length === 0) {
    if (!run.dataset.spec) throw new UserError(`${command}: ${dir}/run.json does not record its data; give the data files`, { exitCode: 2 })
    spec = run.dataset.spec
  } else {
    spec.length ??= run.dataset.length
    spec.alphabet ??= run.dataset.alphabet as NonNullable<typeof spec.alphabet>
  }
  const dataset = await loadDataset(spec, { cacheDir: parsed.cacheDir })
  if (dataset.letters !== run.dataset.letters) throw new UserError(`${command}: the data is ${dataset.alphabet} (${dataset.letters}) but the model reads ${run.dataset.letters}; give --alphabet ${run.dataset.alphabet}`)
  if (dataset.length !== run.dataset.length) throw new UserError(`${command}: the data has length ${dataset.length} but the model reads ${run.dataset.length}; add --length ${run.dataset.length}`)
  return dataset
}
