import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

/** The repository root (holds package.json), from the source tree or the built `out/` tree. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }
      if (pkg.name === 'motiflens') return dir
    } catch {
      // not here: keep walking up
    }
    dir = dirname(dir)
  }
  throw new Error('cannot find the MotifLens package.json above ' + fileURLToPath(import.meta.url))
}

export function appVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }
    cached = pkg.version
  }
  return cached
}
