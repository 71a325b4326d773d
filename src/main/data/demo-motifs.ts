/**
 * The few JASPAR 2024 CORE matrices the demo datasets plant (counts, rows A C G T), copied
 * from JASPAR2024_CORE_vertebrates_non-redundant (CC BY 4.0, https://jaspar.elixir.no;
 * Rauluseviciute et al., Nucleic Acids Res. 2024). Embedded so the demos need no data file;
 * a test checks them against the bundled resources/jaspar MEME file.
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
  { id: 'MA0035.5', name: 'GATA1', counts: [
    [3953, 62419, 2712, 2744],
    [1314, 595, 652, 69267],
    [49692, 710, 856, 20570],
    [67550, 1292, 988, 1998],
    [2206, 1238, 618, 67766],
    [2567, 65937, 1471, 1853],
    [7397, 3025, 765, 60641],
  ] },
  { id: 'MA0114.5', name: 'HNF4A', counts: [
    [1468, 41443, 1237, 2356],
    [43321, 1257, 1061, 865],
    [40217, 1370, 3615, 1302],
    [43264, 544, 1897, 799],
    [716, 916, 43528, 1344],
    [927, 695, 2184, 42698],
    [2770, 37804, 1826, 4104],
    [1363, 42341, 643, 2157],
    [36654, 2782, 2936, 4132],
  ] },
  { id: 'MA0080.7', name: 'Spi1', counts: [
    [66531, 6863, 22807, 8997],
    [82280, 5758, 10614, 6546],
    [81461, 2330, 10220, 11187],
    [8636, 12201, 79986, 4375],
    [89952, 2594, 9636, 3016],
    [4077, 550, 99360, 1211],
    [2028, 831, 101383, 956],
    [102012, 1095, 1063, 1028],
    [99529, 958, 1822, 2889],
    [7616, 7067, 89140, 1375],
    [16997, 3716, 5128, 79357],
    [9972, 6075, 83385, 5766],
    [23194, 11577, 57669, 12758],
  ] },
]

export function demoMotif(name: string): DemoMotif {
  const m = DEMO_MOTIFS.find((d) => d.name.toUpperCase() === name.toUpperCase() || d.id === name)
  if (!m) throw new Error(`no demo motif '${name}'`)
  return m
}
