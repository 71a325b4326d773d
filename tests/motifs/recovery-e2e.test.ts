import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PLANTED_MULTI_MOTIFS } from '../../src/main/data/demo.js'
import { runPlantedRecovery } from '../../src/main/motifs/planted-recovery.js'
import { formatRecovery } from '../../src/main/motifs/recovery.js'

// The motif acceptance criterion through the command line's code (demo -> train -> motifs
// --meme -> Biopython -> strict recovery), the same path as scripts/planted-recovery-check.ts.
// The data and training seed comes from Math.random, itself seeded by MOTIFLENS_TEST_SEED
// (tests/setup/seeded-random.ts), so another test seed checks another data set and model.
// Full size, as the demo's README trains (4000 sequences, 30 epochs): seconds of training on
// two cores; a smaller set or fewer epochs leave some motifs learned too loosely to check.
describe('planted JASPAR motifs come back out of a trained motif CNN', () => {
  it('every planted motif has a filter (r >= 0.75) whose best JASPAR match is that motif, read from a MEME file Biopython parses', async () => {
    const seed = Math.floor(Math.random() * 10_000)
    const run = await runPlantedRecovery({ seed })
    const detail = `seed ${seed}, ${run.dir}\n${formatRecovery(run.report)}`
    // the motif CNN's 32 filters; those with >= 10 sites are in the MEME file, as Biopython reads it
    expect(run.tableFilters.total, detail).toBe(32)
    expect(run.tableFilters.exported, detail).toBeGreaterThan(0)
    expect(run.biopythonMotifs, detail).toBe(run.tableFilters.exported)
    expect(run.memeMotifs, detail).toBe(run.tableFilters.exported)
    expect(run.report.motifs.map((m) => m.planted.name)).toEqual([...PLANTED_MULTI_MOTIFS])
    for (const m of run.report.motifs) {
      expect(m.correlation.r, detail).toBeGreaterThanOrEqual(0.75)
      expect(m.bestMatch?.id, detail).toBe(m.planted.id)
    }
    expect(run.report.passed, detail).toBe(true)
    rmSync(run.dir, { recursive: true }) // kept when an expectation fails, to look into
  }, 240_000)
})
