import { describe, expect, it } from 'vitest'
import { benchDeepSeaStream, benchIngest } from '../../src/main/data/bench.js'

// Shape checks on tiny sizes; the numbers themselves are printed by `motiflens bench`, not asserted.
describe('ingest benchmarks (tiny)', () => {
  it('benchIngest reports throughput, RSS and the Biopython comparison', async () => {
    const r = await benchIngest({ sizeMb: 2 })
    expect(r.file_mb).toBeGreaterThan(1.9)
    expect(r.sequences).toBeGreaterThan(1000)
    expect(r.mb_per_s).toBeGreaterThan(0)
    expect(r.parse_mb_per_s).toBeGreaterThan(0)
    expect(r.peak_rss_mb).toBeGreaterThan(0)
    // Debian's python3 with Biopython is part of the test environment: a missing one is a failure.
    expect(r.biopython_note).toBeUndefined()
    expect(r.biopython_mb_per_s).toBeGreaterThan(0)
  })

  it('benchDeepSeaStream packs and streams every sequence', async () => {
    const r = await benchDeepSeaStream({ sequences: 3000, length: 100, targets: 19, batchSize: 64 })
    expect(r).toMatchObject({ sequences: 3000, length: 100, targets: 19 })
    expect(r.cache_gb).toBeGreaterThan(3000 * 100 / 1e9)
    expect(r.samples_per_s).toBeGreaterThan(0)
  })
})
