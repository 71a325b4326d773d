// The built CLI's entry (out/main/cli.js), loaded by bin/motiflens.js.
import { main } from './index.js'

await main()
