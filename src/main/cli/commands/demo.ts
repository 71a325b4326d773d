/**
 * `motiflens demo NAME --out DIR [--seed N]`: write a seeded synthetic dataset to learn
 * the tool on (the same name and seed always give the same files).
 */
import { isAbsolute, resolve } from 'node:path'
import { DEMO_NAMES, DEMO_SUMMARIES, makeDemo } from '../../data/demo.js'
import { UserError } from '../../errors.js'
import { boolFlag, numberFlag, parseArgs, stringFlag } from '../args.js'
import type { CliCommand } from '../types.js'

const width = Math.max(...DEMO_NAMES.map((n) => n.length))

const USAGE = `Usage: motiflens demo NAME --out DIR [--seed N] [--count N] [--background uniform|shuffle] [--force]

Write a synthetic dataset, with a README.txt that says how to train on it.

Demos:
${DEMO_NAMES.map((n) => `  ${n.padEnd(width)}  ${DEMO_SUMMARIES[n]}`).join('\n')}

Options:
  --out DIR        folder to write (created; must be empty unless --force)
  --seed N         random seed (default 0)
  --count N        how many sequences (see the demo's README for what it counts)
  --background B   planted: negatives uniform (default) or shuffle (dinucleotide-shuffled positives)
  --force          overwrite files in a non-empty folder
`

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'write a seeded synthetic dataset (toy binary tasks, planted JASPAR motifs)',
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(
      argv,
      { out: { type: 'string' }, seed: { type: 'string' }, count: { type: 'string' }, background: { type: 'string' }, force: { type: 'boolean' } },
      'demo',
    )
    const [name, ...extra] = args.positionals
    if (name === undefined) throw new UserError(`demo: name a demo: ${DEMO_NAMES.join(', ')}`, { exitCode: 2 })
    if (extra.length > 0) throw new UserError(`demo: one demo at a time; unexpected '${extra[0]}'`, { exitCode: 2 })
    const out = stringFlag(args, 'out')
    if (out === undefined) throw new UserError(`demo: give the folder to write with --out DIR`, { exitCode: 2 })
    const background = stringFlag(args, 'background')
    if (background !== undefined && background !== 'uniform' && background !== 'shuffle') {
      throw new UserError(`demo: --background '${background}' is not one of uniform, shuffle`, { exitCode: 2 })
    }
    const dir = isAbsolute(out) ? out : resolve(io.cwd, out)
    const result = await makeDemo(name, dir, numberFlag(args, 'seed', 'demo', { integer: true, min: 0 }) ?? 0, {
      count: numberFlag(args, 'count', 'demo', { integer: true, min: 1 }),
      background,
      overwrite: boolFlag(args, 'force'),
    })
    io.stdout(`wrote ${result.files.join(', ')} to ${out}\ntrain on it: cd ${out} && ${result.trainCommand}\n`)
    return 0
  },
}
