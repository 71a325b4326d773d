/**
 * `motiflens predict RUN_DIR DATA.fa --out preds.tsv`: scores of a run's best model for every
 * sequence of a FASTA file, one row per sequence: id, then one column per target.
 * Sequences are fitted to the model's input length the way the data layer does it: longer
 * ones cropped around the centre (start floor((len - L) / 2)), shorter ones padded with N
 * on both sides (offset floor((L - len) / 2)).
 */
import { createWriteStream } from 'node:fs'
import { resolve } from 'node:path'
import type { AlphabetName } from '../../../shared/types.js'
import { initBackend } from '../../compute/backend.js'
import { parseFastaFile, statInput } from '../../data/fasta.js'
import { AMBIGUOUS_CODE } from '../../data/types.js'
import { UserError } from '../../errors.js'
import { predict } from '../../evaluate/predict.js'
import { ArrayDataset } from '../../train/array-dataset.js'
import { loadRun } from '../../train/run.js'
import { boolFlag, numberFlag, parseArgs, stringFlag, type FlagSpec } from '../args.js'
import type { CliCommand, CliIO } from '../types.js'
import { backendFlag } from './train.js'

const FLAGS: Record<string, FlagSpec> = {
  out: { type: 'string', alias: 'o' },
  'batch-size': { type: 'string' },
  'rc-average': { type: 'boolean' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
}

const USAGE = `Usage: motiflens predict RUN_DIR DATA.fa [--out preds.tsv] [options]

Score every sequence of DATA.fa (plain or gzip FASTA) with the run's best model. Writes a
TSV with a header row: id, then one column per target (probabilities for sigmoid/softmax
models). Without --out the table goes to standard output.

Options:
  --out FILE          where to write the TSV
  --rc-average        average each sequence's score with its reverse complement's (DNA/RNA)
  --checkpoint C      best (default) or last
  --batch-size N      sequences per batch (default 256)
  --backend B         auto (default), tensorflow, wasm or cpu
`

/** Codes fitted to `length`: centre-cropped or centre-padded with AMBIGUOUS_CODE. */
export function fitToLength(codes: Uint8Array, length: number, out: Uint8Array): void {
  out.fill(AMBIGUOUS_CODE)
  if (codes.length >= length) out.set(codes.subarray(Math.floor((codes.length - length) / 2), Math.floor((codes.length - length) / 2) + length))
  else out.set(codes, Math.floor((length - codes.length) / 2))
}

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: "score sequences with a trained run's model (TSV out)",
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, FLAGS, 'predict')
    const [runArg, fastaArg, ...extra] = args.positionals
    if (!runArg || !fastaArg) throw new UserError('predict: give the run folder and a FASTA file, e.g. motiflens predict runs/ctcf new.fa --out preds.tsv', { exitCode: 2 })
    if (extra.length) throw new UserError(`predict: one FASTA file at a time; unexpected '${extra[0]}'`, { exitCode: 2 })
    const checkpoint = stringFlag(args, 'checkpoint') ?? 'best'
    if (checkpoint !== 'best' && checkpoint !== 'last') throw new UserError(`predict: --checkpoint '${checkpoint}' is not best or last`, { exitCode: 2 })
    const batchSize = numberFlag(args, 'batch-size', 'predict', { integer: true, min: 1 }) ?? 256
    await initBackend(backendFlag(args, 'predict'))
    const { run, model } = await loadRun(resolve(io.cwd, runArg), checkpoint)
    try {
      const alphabet = run.dataset.alphabet as AlphabetName
      const rcAverage = boolFlag(args, 'rc-average')
      if (rcAverage && alphabet !== 'dna' && alphabet !== 'rna') throw new UserError(`predict: --rc-average needs a DNA or RNA model; this one reads ${alphabet}`, { exitCode: 2 })
      const L = run.dataset.length
      const ids: string[] = []
      let codes = new Uint8Array(L * 1024)
      const fitted = new Uint8Array(L)
      const fastaPath = resolve(io.cwd, fastaArg)
      await parseFastaFile(await statInput(fastaPath), { alphabet, file: fastaArg }, (rec) => {
        if ((ids.length + 1) * L > codes.length) {
          const bigger = new Uint8Array(codes.length * 2)
          bigger.set(codes)
          codes = bigger
        }
        fitToLength(rec.codes, L, fitted)
        codes.set(fitted, ids.length * L)
        ids.push(rec.id)
      })
      if (ids.length === 0) throw new UserError(`${fastaArg}: no sequences; give a FASTA file with at least one record`)
      const dataset = new ArrayDataset({ alphabet, codes: { data: codes.subarray(0, ids.length * L), length: L }, labels: ids.map(() => []), targets: [], ids })
      const rows = Uint32Array.from(ids.keys())
      const preds = await predict(model, dataset, rows, batchSize, { averageReverseComplement: rcAverage, ambiguous: run.dataset.spec?.ambiguous })
      const T = run.dataset.targets.length
      const outPath = stringFlag(args, 'out')
      const stream = outPath ? createWriteStream(resolve(io.cwd, outPath)) : null
      const write = (s: string) => (stream ? stream.write(s) : io.stdout(s))
      write(`id\t${run.dataset.targets.join('\t')}\n`)
      for (let i = 0; i < ids.length; i++) {
        const cols: string[] = [ids[i]]
        for (let t = 0; t < T; t++) cols.push(Number(preds[i * T + t].toPrecision(6)).toString())
        write(`${cols.join('\t')}\n`)
      }
      if (stream) {
        await new Promise<void>((ok, fail) => stream.end((e?: Error | null) => (e ? fail(e) : ok())))
        io.stderr(`${ids.length} sequences scored -> ${outPath}\n`)
      }
      return 0
    } finally {
      model.dispose()
    }
  },
}
