import type { CliCommand } from '../types.js'
import { benchCommand } from './bench.js'
import { dataCommand } from './data.js'
import { demoCommand } from './demo.js'
import { evaluateCommand } from './evaluate.js'
import { motifsCommand } from './motifs.js'
import { predictCommand } from './predict.js'
import { serveCommand } from './serve.js'
import { setupCommand } from './setup.js'
import { startCommand } from './start.js'
import { trainCommand } from './train.js'

/**
 * Every `motiflens <command>`, in the order `--help` lists them. Each lives in its own file
 * beside this one; add new commands here.
 */
export const commands: CliCommand[] = [startCommand, serveCommand, setupCommand, dataCommand, demoCommand, trainCommand, evaluateCommand, motifsCommand, predictCommand, benchCommand]
