/**
 * Whether the Electron shell can run here. The binary is told present by its files
 * (node_modules/electron/path.txt naming a file under dist/), never by require('electron'),
 * which would try to download it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export function electronBinary(root: string): string | undefined {
  const pkgDir = join(root, 'node_modules', 'electron')
  const pathTxt = join(pkgDir, 'path.txt')
  if (!existsSync(pathTxt)) return undefined
  const rel = readFileSync(pathTxt, 'utf8').trim()
  const exe = join(pkgDir, 'dist', rel)
  return rel && existsSync(exe) ? exe : undefined
}

export function hasDisplay(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/** Why the desktop shell cannot start, or undefined when it can. */
export function desktopUnavailableReason(root: string, env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!electronBinary(root)) return 'the Electron binary is not installed (it could not be downloaded; run `npx install-electron` where there is network)'
  if (!hasDisplay(env, platform)) return 'there is no display ($DISPLAY / $WAYLAND_DISPLAY unset)'
  return undefined
}
