import { join } from 'node:path'
import type { DataSpecArgs } from '../../shared/contract.js'
import type { DataSpec } from '../../shared/types.js'
import type { SequencePreview } from '../../shared/views.js'
import { ALPHABET_LETTERS, decodeCodes, detectAlphabet, inspectDataSpec, parseFastaFile, statInput } from '../data/index.js'
import { DEMO_NAMES, DEMO_SUMMARIES, isDemoName, makeDemo } from '../data/demo.js'
import { UserError } from '../errors.js'
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
    genome: spec.genome === undefined ? undefined : await one(spec.genome),
    classes: spec.classes ? await Promise.all(spec.classes.map(async (c) => ({ name: c.name, files: (await many(c.files)) as string[] }))) : undefined,
    bed: spec.bed ? await Promise.all(spec.bed.map(async (b) => ({ target: b.target, files: (await many(b.files)) as string[] }))) : undefined,
  }
}

/** The data spec that trains on an example's files. */
function exampleSpec(dir: string, files: string[]): DataSpecArgs {
  if (files.includes('pos.fa')) return { positives: [join(dir, 'pos.fa')], negatives: [join(dir, 'neg.fa')] }
  if (files.includes('labels.tsv')) return { fasta: [join(dir, 'data.fa')], labels: join(dir, 'labels.tsv') }
  if (files.includes('train.fa')) return { fasta: [join(dir, 'train.fa')] }
  throw new Error(`example in ${dir} has no known layout: ${files.join(', ')}`)
}

/** The first sequences of the spec's FASTA files, read without reading the whole files. */
async function previewSequences(spec: DataSpec, count: number): Promise<SequencePreview> {
  const sources: { file: string; label: string | null }[] = [
    ...(spec.positives ?? []).map((file) => ({ file, label: 'positive' })),
    ...(spec.negatives ?? []).map((file) => ({ file, label: 'negative' })),
    ...(spec.classes ?? []).flatMap((c) => c.files.map((file) => ({ file, label: c.name }))),
    ...(spec.fasta ?? []).map((file) => ({ file, label: null })),
  ]
  const out: SequencePreview['sequences'] = []
  let letters = ''
  const perFile = Math.max(1, Math.ceil(count / Math.max(1, sources.length)))
  for (const { file, label } of sources) {
    const info = await statInput(file)
    const alphabet = spec.alphabet && spec.alphabet !== 'auto' ? spec.alphabet : await detectAlphabet([info])
    letters = ALPHABET_LETTERS[alphabet]
    const stop = new AbortController()
    let taken = 0
    try {
      await parseFastaFile(
        info,
        { alphabet, alphabetGuessed: !spec.alphabet || spec.alphabet === 'auto' },
        (r) => {
          if (taken >= perFile) return
          taken++
          const shown = r.codes.subarray(0, 400)
          out.push({ id: r.id, file, sequence: decodeCodes(shown, alphabet), length: r.codes.length, label })
          if (taken >= perFile) stop.abort()
        },
        { signal: stop.signal },
      )
    } catch (e) {
      if (!stop.signal.aborted) throw e
    }
  }
  return { sequences: out.slice(0, count), letters }
}

export function dataHandlers({ shell, cacheDir, projects }: HandlerDeps): Pick<HandlerMap, 'data:examples' | 'data:makeExample' | 'data:inspect' | 'data:preview'> {
  return {
    async 'data:examples'() {
      return { examples: DEMO_NAMES.map((name) => ({ name, summary: DEMO_SUMMARIES[name] })) }
    },
    async 'data:makeExample'({ name, projectId }) {
      if (!isDemoName(name)) throw new UserError(`no example called '${name}'`)
      const base = projectId === null ? join(cacheDir, 'examples') : join(projects.pathOf(projectId), 'examples')
      const made = await makeDemo(name, join(base, name), 1)
      const files = made.files.map((f) => join(made.dir, f))
      shell.paths.grant(files)
      return { name, spec: exampleSpec(made.dir, made.files), files }
    },
    async 'data:inspect'({ spec }) {
      const checked = await checkSpecPaths(spec, shell.paths)
      return inspectDataSpec(checked, { cacheDir })
    },
    async 'data:preview'({ spec, count }) {
      return previewSequences(await checkSpecPaths(spec, shell.paths), count)
    },
  }
}
