/**
 * `motiflens bench`: training/inference throughput of the benchmark workloads next to the
 * PyTorch reference, as a table or one JSON document (--json). See src/main/bench/run.ts.
 */
import { UserError } from '../../errors.js'
import type { BackendPreference } from '../../compute/backend.js'
import { DEFAULT_WORKLOADS, WORKLOAD_NAMES, WORKLOADS, isWorkloadName, type WorkloadName } from '../../bench/workloads.js'
import { boolFlag, numberFlag, parseArgs, stringFlag } from '../args.js'
import type { CliCommand } from '../types.js'

const usage = `Usage: motiflens bench [--json] [--workloads a,b] [--epochs N] [--backend B] [--workers N]
                       [--no-reference] [--no-extras] [--python PATH] [--ingest-mb N] [--deepsea-data N]

Trains each workload on random one-hot DNA and reports training and inference samples/s,
peak memory and the backend, next to PyTorch (scripts/bench/torch_reference.py, 2 threads)
measured in the same run. Speed is printed, never asserted.

Workloads (default: ${DEFAULT_WORKLOADS.join(',')}):
${WORKLOAD_NAMES.map((n) => `  ${n.padEnd(10)} ${WORKLOADS[n].description}; batch ${WORKLOADS[n].batchSize}, ${WORKLOADS[n].samples} samples/epoch`).join('\n')}

Options:
  --json            print one JSON document instead of the table
  --workloads a,b   which workloads to run
  --epochs N        timed epochs after the warm-up epoch (default 3; the median is reported)
  --backend B       auto (default), tensorflow, wasm or cpu
  --workers N       wasm worker threads (default: 2 on two or more cores)
  --no-reference    skip PyTorch
  --no-extras       skip the ingest and motif-extraction benchmarks
  --ingest-mb N     size of the synthetic FASTA the ingest benchmark loads (default 1024)
  --deepsea-data N  also pack and stream a DeepSEA-shaped set of N sequences x 1000 bp with
                    919 labels (the paper's N is 4400000: minutes, and 5 GB of temporary disk)
  --python PATH     Python with torch for the reference (default /usr/bin/python3)
`

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'measure training speed on this machine against PyTorch',
  usage,
  async run(argv, io) {
    const p = parseArgs(
      argv,
      {
        json: { type: 'boolean' },
        workloads: { type: 'string' },
        epochs: { type: 'string' },
        backend: { type: 'string' },
        workers: { type: 'string' },
        'no-reference': { type: 'boolean' },
        'no-extras': { type: 'boolean' },
        python: { type: 'string' },
        'ingest-mb': { type: 'string' },
        'deepsea-data': { type: 'string' },
      },
      'bench',
    )
    if (p.positionals.length) throw new UserError(`bench: unexpected argument '${p.positionals[0]}'; see 'motiflens bench --help'`, { exitCode: 2 })
    const names = (stringFlag(p, 'workloads') ?? DEFAULT_WORKLOADS.join(',')).split(',').map((s) => s.trim()).filter(Boolean)
    for (const n of names) {
      if (!isWorkloadName(n)) throw new UserError(`bench: unknown workload '${n}'; choose from ${WORKLOAD_NAMES.join(', ')}`, { exitCode: 2 })
    }
    const backend = stringFlag(p, 'backend') ?? 'auto'
    if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) {
      throw new UserError(`bench: --backend '${backend}' is not one of auto, tensorflow, wasm, cpu`, { exitCode: 2 })
    }
    const json = boolFlag(p, 'json')
    const { runBench, formatBenchTable } = await import('../../bench/run.js')
    const report = await runBench({
      workloads: names as WorkloadName[],
      epochs: numberFlag(p, 'epochs', 'bench', { integer: true, min: 1, max: 100 }) ?? 3,
      backend: backend as BackendPreference,
      workers: numberFlag(p, 'workers', 'bench', { integer: true, min: 1, max: 64 }),
      reference: !boolFlag(p, 'no-reference'),
      extras: !boolFlag(p, 'no-extras'),
      python: stringFlag(p, 'python'),
      ingestMb: numberFlag(p, 'ingest-mb', 'bench', { integer: true, min: 1, max: 100_000 }),
      deepseaSequences: numberFlag(p, 'deepsea-data', 'bench', { integer: true, min: 1, max: 100_000_000 }),
      onLog: (line) => io.stderr(`bench: ${line}\n`),
    })
    io.stdout(json ? `${JSON.stringify(report)}\n` : formatBenchTable(report))
    return 0
  },
}
