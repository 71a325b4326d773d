import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where MotifLens keeps its own files (runs, uploads, caches), never next to the user's
 * inputs. MOTIFLENS_HOME overrides everything (tests use it); otherwise the XDG folders.
 */
export function dataHome(env: Record<string, string | undefined> = process.env): string {
  if (env.MOTIFLENS_HOME) return env.MOTIFLENS_HOME
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'motiflens')
}

export function cacheHome(env: Record<string, string | undefined> = process.env): string {
  if (env.MOTIFLENS_HOME) return join(env.MOTIFLENS_HOME, 'cache')
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'motiflens')
}

export function runsHome(env: Record<string, string | undefined> = process.env): string {
  return join(dataHome(env), 'runs')
}
