/**
 * The motif acceptance check, end to end at full size: the planted-multi demo (4000 x 200 bp;
 * NRF1, IRF1, RELA, ZBTB33), `motiflens train` as the demo's README says (motif CNN,
 * 30 epochs), `motiflens motifs --meme`, Biopython parses the MEME file, and every planted motif must have
 * a filter in it with r >= 0.75 whose best bundled-JASPAR match is that motif (strict: no
 * paralog ties). Prints one line per motif (margin: how many orders of magnitude the planted
 * motif's p-value beats the next database motif's by) and exits 1 when one is not recovered.
 * See src/main/motifs/planted-recovery.ts.
 *
 *   npx tsx scripts/planted-recovery-check.ts [--seed 1] [--count 4000] [--epochs 30] [--quiet]
 */
import { formatRecovery } from '../src/main/motifs/recovery.js'
import { runPlantedRecovery } from '../src/main/motifs/planted-recovery.js'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
function numberArg(name: string): number | undefined {
  const v = arg(name)
  return v === undefined ? undefined : Number(v)
}
const seed = numberArg('seed') ?? 1
const count = numberArg('count')
const epochs = numberArg('epochs')
const quiet = process.argv.includes('--quiet')

const r = await runPlantedRecovery({ seed, count, epochs, onLog: quiet ? undefined : (t) => process.stderr.write(t) })
const { total, exported } = r.tableFilters
console.log(`seed ${seed}: trained in ${r.trainSeconds.toFixed(0)} s; ${r.memePath}: Biopython parsed ${r.biopythonMotifs} motifs (our reader ${r.memeMotifs}; ${exported} of ${total} filters exported)`)
console.log(formatRecovery(r.report))
const ok = r.report.passed && exported > 0 && r.biopythonMotifs === exported && r.memeMotifs === exported
console.log(ok ? 'PASS' : 'FAIL')
process.exitCode = ok ? 0 : 1
