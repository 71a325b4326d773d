/**
 * Crash-safe writes for run folders. A SIGKILL or power cut at any moment leaves either the
 * old or the new version of a file or checkpoint folder, never a mix:
 * - files: write `name.tmp-PID`, then rename over the name (atomic on POSIX);
 * - folders: fill `dir.tmp`, rename the old `dir` to `dir.old`, rename `dir.tmp` to `dir`,
 *   delete `dir.old`. A reader that finds no `dir` but a `dir.old` (killed between the two
 *   renames) uses `dir.old`: `recoverDir` puts it back.
 */
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}`
  await writeFile(tmp, data)
  await rename(tmp, path)
}

/** Replace folder `dir` by one holding exactly `files` (name -> contents). */
export async function writeDirAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const tmp = `${dir}.tmp`
  const old = `${dir}.old`
  await rm(tmp, { recursive: true, force: true })
  await mkdir(tmp, { recursive: true })
  for (const [name, data] of Object.entries(files)) await writeFile(join(tmp, name), data)
  await recoverDir(dir)
  if (existsSync(dir)) {
    await rm(old, { recursive: true, force: true })
    await rename(dir, old)
  }
  await rename(tmp, dir)
  await rm(old, { recursive: true, force: true })
}

/** Finish an interrupted `writeDirAtomic`: bring back `dir.old` when `dir` is missing. */
export async function recoverDir(dir: string): Promise<void> {
  const old = `${dir}.old`
  if (!existsSync(dir) && existsSync(old)) await rename(old, dir)
}
