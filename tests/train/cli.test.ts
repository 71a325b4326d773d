import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/main/cli/index.js'
import type { CliIO } from '../../src/main/cli/types.js'
import { mulberry32 } from '../../src/main/models/random.js'
import { tempDir } from './helpers.js'

function cli(cwd: string) {
  const out = { stdout: '', stderr: '' }
  const io: CliIO = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), isTTY: false, cwd, env: {} }
  return { out, run: (...argv: string[]) => runCli(argv, io) }
}

/** pos.fa (motif TGACTCA planted) and neg.fa, 60 each, 30 bp; plus a FASTA + label table with an all-zero target. */
function writeData(dir: string) {
  const rand = mulberry32(5)
  const seq = (motif: boolean) => {
    const s = Array.from({ length: 30 }, () => 'ACGT'[Math.floor(rand() * 4)])
    if (motif) s.splice(Math.floor(rand() * 23), 7, ...'TGACTCA')
    return s.join('')
  }
  const pos = Array.from({ length: 60 }, () => seq(true))
  const neg = Array.from({ length: 60 }, () => seq(false))
  writeFileSync(join(dir, 'pos.fa'), pos.map((s, i) => `>p${i}\n${s}\n`).join(''))
  writeFileSync(join(dir, 'neg.fa'), neg.map((s, i) => `>n${i}\n${s}\n`).join(''))
  writeFileSync(join(dir, 'all.fa'), [...pos, ...neg].map((s, i) => `>s${i}\n${s}\n`).join(''))
  writeFileSync(join(dir, 'labels.tsv'), ['id\tbound\tnever', ...[...pos, ...neg].map((_, i) => `s${i}\t${i < 60 ? 1 : 0}\t0`)].join('\n') + '\n')
}

const SMALL = ['--model', 'motif-cnn', '--filters', '4', '--widths', '7', '--batch-size', '16', '--lr', '0.02', '--backend', 'cpu']

describe('motiflens train / evaluate / predict', () => {
  it('trains, refuses to overwrite, resumes, evaluates and predicts', async () => {
    const dir = tempDir('motiflens-cli-')
    writeData(dir)
    const { out, run } = cli(dir)
    const data = ['--positives', 'pos.fa', '--negatives', 'neg.fa', '--cache', 'cache', '--seed', '3']
    expect(await run('train', ...data, ...SMALL, '--epochs', '2', '--out', 'run')).toBe(0)
    expect(out.stdout).toMatch(/^completed: 2 epochs; best epoch \d \(val_loss [0-9.]+, val_roc_auc [0-9.]+\); run saved in /)
    // not a TTY: one plain line per epoch, no progress bar
    expect(out.stderr).toMatch(/^compute: cpu .+\ntraining on cpu: 96 training and 12 validation sequences, 6 batches per epoch, 121 parameters -> /)
    expect(out.stderr.match(/^epoch \d\/2 {2}loss [0-9.]+ {2}val_loss [0-9.]+ {2}val_roc_auc /gm)).toHaveLength(2)
    expect(out.stderr).not.toContain('\r')

    out.stderr = ''
    expect(await run('train', ...data, ...SMALL, '--out', 'run')).toBe(2)
    expect(out.stderr).toBe(`motiflens: train: ${join(dir, 'run')} is not empty; use --resume to continue the run in it, --force to replace it, or another --out\n`)

    // --resume alone: data flags and model come from run.json
    out.stdout = ''
    expect(await run('train', '--out', 'run', '--resume', '--epochs', '3', '--backend', 'cpu')).toBe(0)
    expect(out.stdout).toMatch(/^completed: 3 epochs/)
    const runJson = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'))
    expect(runJson.history).toHaveLength(3)
    expect(runJson.config).toMatchObject({ seed: 3, batchSize: 16, learningRate: 0.02, model: { preset: 'motif-cnn', params: { filters: [4], widths: [7] } } })

    out.stdout = ''
    expect(await run('evaluate', 'run', '--json', '--backend', 'cpu')).toBe(0)
    const report = JSON.parse(out.stdout)
    expect(Object.keys(report)).toEqual(['targets', 'macro', 'micro'])
    expect(report.targets).toHaveLength(1)
    expect(report.targets[0]).toMatchObject({ name: 'positive', positives: 6, negatives: 6 })
    expect(report.macro.roc_auc).toBe(report.targets[0].roc_auc)

    out.stdout = ''
    expect(await run('evaluate', 'run', '--positives', 'pos.fa', '--negatives', 'neg.fa', '--cache', 'cache', '--backend', 'cpu')).toBe(0)
    expect(out.stdout).toMatch(/^120 sequences \(all\)\ntarget +ROC AUC +PR AUC +pos +neg\npositive +0\.\d{4} +0\.\d{4} +60 +60\naccuracy at 0\.5: /)

    expect(await run('predict', 'run', 'pos.fa', '--out', 'preds.tsv', '--backend', 'cpu')).toBe(0)
    const tsv = readFileSync(join(dir, 'preds.tsv'), 'utf8').trim().split('\n')
    expect(tsv[0]).toBe('id\tpositive')
    expect(tsv).toHaveLength(61)
    expect(tsv[1]).toMatch(/^p0\t0\.\d+$/)

    // --force replaces the run
    out.stdout = ''
    expect(await run('train', ...data, ...SMALL, '--epochs', '1', '--out', 'run', '--force')).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8')).history).toHaveLength(1)
  })

  it('evaluate --json prints null for a target with no positives, and macro over the defined ones', async () => {
    const dir = tempDir('motiflens-cli-')
    writeData(dir)
    const { out, run } = cli(dir)
    const data = ['all.fa', '--labels', 'labels.tsv', '--cache', 'cache']
    expect(await run('train', ...data, ...SMALL, '--epochs', '1', '--out', 'run')).toBe(0)
    out.stdout = ''
    expect(await run('evaluate', 'run', ...data, '--json', '--backend', 'cpu')).toBe(0)
    const report = JSON.parse(out.stdout)
    expect(report.targets.map((t: { name: string }) => t.name)).toEqual(['bound', 'never'])
    expect(report.targets[1]).toEqual({ name: 'never', roc_auc: null, pr_auc: null, positives: 0, negatives: 120 })
    expect(report.macro).toEqual({ roc_auc: report.targets[0].roc_auc, pr_auc: report.targets[0].pr_auc })
    expect(typeof report.micro.roc_auc).toBe('number')
  })

  it('rejects bad options with one-line messages', async () => {
    const dir = tempDir('motiflens-cli-')
    writeData(dir)
    const { out, run } = cli(dir)
    expect(await run('train', '--positives', 'pos.fa', '--negatives', 'neg.fa', '--model', 'resnet', '--out', 'r')).toBe(2)
    expect(out.stderr).toBe("motiflens: train: --model 'resnet' is not one of motif-cnn, deepsea, danq, basset, toy-rnn, toy-cnn, next-char-rnn, next-char-lstm, custom\n")
    out.stderr = ''
    expect(await run('train', '--positives', 'pos.fa', '--negatives', 'neg.fa')).toBe(2)
    expect(out.stderr).toBe('motiflens: train: --out RUN_DIR is required: the folder for the model, checkpoints and run.json\n')
    out.stderr = ''
    expect(await run('train', '--positives', 'pos.fa', '--negatives', 'neg.fa', '--out', 'r', '--lr-decay', '2:3')).toBe(2)
    expect(out.stderr).toBe("motiflens: train: --lr-decay '2:3' is not FACTOR:EPOCHS with 0 < FACTOR <= 1, e.g. --lr-decay 0.5:10\n")
    out.stderr = ''
    expect(await run('evaluate', 'nowhere', '--backend', 'cpu')).toBe(1)
    expect(out.stderr).toBe(`motiflens: ${join(dir, 'nowhere', 'run.json')}: no such file; give the folder a training run wrote (motiflens train --out DIR)\n`)
    expect(existsSync(join(dir, 'r'))).toBe(false)
  })
})
