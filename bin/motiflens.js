#!/usr/bin/env node
// The `motiflens` command: runs the built CLI (out/main/cli.js). From a source checkout it
// builds first when the build is missing or older than the sources, so `npx motiflens`
// always runs the code in front of you.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'out', 'main', 'cli.js')

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

function needsBuild() {
  if (!existsSync(cli)) return true
  const src = join(root, 'src')
  if (!existsSync(src)) return false
  const built = Math.min(statSync(cli).mtimeMs, existsSync(join(root, 'out', 'renderer', 'index.html')) ? statSync(join(root, 'out', 'renderer', 'index.html')).mtimeMs : 0)
  return newestMtime(src) > built
}

if (needsBuild()) {
  process.stderr.write('motiflens: building the app (first run or sources changed)...\n')
  const require = createRequire(import.meta.url)
  const evBin = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [evBin, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) {
    process.stderr.write("motiflens: the build failed; run 'npm run build' to see why\n")
    process.exit(1)
  }
}

await import(pathToFileURL(cli).href)
