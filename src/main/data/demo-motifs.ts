/**
 * The few JASPAR 2024 CORE matrices the demo datasets plant (counts, rows A C G T), copied
 * from JASPAR2024_CORE_vertebrates_non-redundant (CC BY 4.0, https://jaspar.elixir.no;
 * Rauluseviciute et al., Nucleic Acids Res. 2024). Embedded so the demos need no data file;
 * a test checks them against the bundled resources/jaspar MEME file.
 *
 * Why planted-multi plants NRF1, IRF1, RELA and ZBTB33: its check (a filter's best match in
 * the bundled JASPAR must BE the planted motif, src/main/motifs/recovery.ts) needs motifs that
 * no other database motif resembles. `npx tsx scripts/jaspar-separation.ts ID` gives the gap
 * log10(p of the nearest other motif / p of the motif itself) when a motif is compared with
 * the database: Nrf1 9.5 (TCF4), RELA 5.7 (REL), ZBTB33 5.3 (ZBED1), Irf1 4.6 (Stat2). Learned
 * filters are noisier; from the motif CNN as the demo's README trains it (seeds 1-30) their
 * gaps stayed >= 2.5, 1.2, 3.9 and 1.8. The first choice failed that way: HNF4A MA0114.5 has a
 * twin, HNF4G MA0484.3 (entries within 0.02, gap 0.00); Spi1 lost to SPIB in 2 of 16 runs;
 * CTCF MA0139.2 shares its core with JASPAR's longer CTCF matrices (gap about 0.3, the price
 * of their extra alignments; lost in 4 of 64 runs); GATA1's 7 columns were learned loosely
 * enough to match GATA2/5/6 or others in 10 of 64 (runs of 10 to 60 epochs). The `planted`
 * demo still plants CTCF: its check compares AUCs, not database matches.
 */
export interface DemoMotif {
  id: string
  name: string
  /** Counts per position, columns A C G T. */
  counts: number[][]
}

export const DEMO_MOTIFS: DemoMotif[] = [
  { id: 'MA0139.2', name: 'CTCF', counts: [
    [281, 49, 449, 134],
    [56, 800, 21, 36],
    [8, 903, 0, 2],
    [744, 13, 65, 91],
    [40, 528, 334, 11],
    [107, 433, 48, 324],
    [851, 11, 32, 18],
    [5, 0, 903, 3],
    [333, 3, 566, 9],
    [54, 12, 504, 341],
    [12, 0, 890, 8],
    [56, 8, 775, 71],
    [104, 733, 5, 67],
    [372, 13, 507, 17],
    [82, 482, 307, 37],
  ] },
  { id: 'MA0148.5', name: 'FOXA1', counts: [
    [23286, 5935, 281612, 11970],
    [11061, 13932, 6092, 291718],
    [297679, 14648, 5243, 5233],
    [294900, 13410, 3774, 10719],
    [312906, 2452, 3652, 3793],
    [7396, 272943, 4805, 37659],
    [308904, 3674, 3226, 6999],
    [42299, 23038, 27283, 230183],
  ] },
  { id: 'MA0050.4', name: 'Irf1', counts: [
    [3724, 1292, 2035, 8589],
    [1661, 637, 12682, 660],
    [13772, 361, 1024, 483],
    [14795, 253, 258, 334],
    [14878, 176, 240, 346],
    [1939, 9822, 3315, 564],
    [1900, 933, 274, 12533],
    [1017, 314, 14013, 296],
    [14145, 298, 775, 422],
    [14424, 353, 499, 364],
    [14172, 365, 607, 496],
  ] },
  { id: 'MA0506.3', name: 'Nrf1', counts: [
    [1289, 7208, 3330, 902],
    [744, 1831, 864, 9290],
    [445, 339, 11841, 104],
    [408, 11783, 343, 195],
    [286, 193, 12026, 224],
    [147, 11838, 510, 234],
    [4332, 5475, 2514, 408],
    [128, 577, 446, 11578],
    [68, 251, 12324, 86],
    [131, 12143, 201, 254],
    [274, 576, 11169, 710],
    [426, 8461, 1008, 2834],
  ] },
  { id: 'MA0107.1', name: 'RELA', counts: [
    [0, 4, 11, 3],
    [0, 0, 17, 1],
    [0, 0, 18, 0],
    [11, 0, 7, 0],
    [10, 3, 4, 1],
    [2, 0, 0, 16],
    [0, 0, 0, 18],
    [0, 2, 0, 16],
    [0, 18, 0, 0],
    [0, 18, 0, 0],
  ] },
  { id: 'MA0527.2', name: 'ZBTB33', counts: [
    [6, 66, 32, 601],
    [28, 659, 11, 7],
    [10, 89, 5, 601],
    [0, 705, 0, 0],
    [35, 0, 667, 3],
    [2, 668, 0, 35],
    [0, 0, 705, 0],
    [461, 80, 118, 46],
    [8, 57, 450, 190],
    [416, 94, 141, 54],
  ] },
]

export function demoMotif(name: string): DemoMotif {
  const m = DEMO_MOTIFS.find((d) => d.name.toUpperCase() === name.toUpperCase() || d.id === name)
  if (!m) throw new Error(`no demo motif '${name}'`)
  return m
}
