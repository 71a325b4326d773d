// Development entry: run the CLI from source with `npx tsx src/main/cli/run-dev.ts <args>`.
import { main } from './index.js'

await main()
