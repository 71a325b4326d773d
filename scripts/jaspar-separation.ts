/**
 * How far each JASPAR motif stands from its nearest OTHER motif in the bundled database: the
 * motif (ends < 0.3 bits trimmed, as filters are) is compared with the whole database by
 * compareMotifs, and the gap is log10(p of the best other motif / p of the motif itself).
 * A gap near 0 means no comparison can tell the two apart (HNF4A MA0114.5 and HNF4G
 * MA0484.3: 0.00), so such a motif cannot be a planted motif whose best match is checked.
 * This is a motif against a perfect copy of itself; learned filters are noisier, and
 * scripts/planted-recovery-check.ts prints the gap they reach.
 *
 *   npx tsx scripts/jaspar-separation.ts [ID...]     (default: every motif, widest gap first)
 */
import { compareMotifs } from '../src/main/motifs/compare.js'
import { loadMotifDatabase } from '../src/main/motifs/database.js'
import { informationContent, trimMotif } from '../src/main/motifs/matrix.js'

const db = loadMotifDatabase()
const ids = process.argv.slice(2)
const motifs = ids.map((id) => {
  const m = db.motifs.find((x) => x.id === id)
  if (!m) {
    console.error(`no motif ${id} in ${db.path}`)
    process.exit(2)
  }
  return m
})
const rows = (ids.length > 0 ? motifs : db.motifs).map((m) => {
  const trimmed = trimMotif(m.matrix).matrix
  const matches = compareMotifs(trimmed.rows.length > 0 ? trimmed : m.matrix, db, { top: 5 })
  const self = matches.find((x) => x.id === m.id)
  const other = matches.find((x) => x.id !== m.id)
  const gap = self && other ? Math.log10(other.pValue) - Math.log10(self.pValue) : Number.NaN
  return { m, gap, text: `${m.id}\t${m.name}\t${m.matrix.rows.length}\t${informationContent(m.matrix).total.toFixed(1)}\t${self?.pValue.toExponential(1) ?? '-'}\t${other ? `${other.id} ${other.name}\t${other.pValue.toExponential(1)}` : '-\t-'}\t${gap.toFixed(2)}` }
})
if (ids.length === 0) rows.sort((a, b) => b.gap - a.gap)
console.log('id\tname\twidth\tbits\tp self\tnearest other\tp other\tlog10 gap')
for (const r of rows) console.log(r.text)
