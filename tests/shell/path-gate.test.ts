import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { grantedFilesGate, rootGate } from '../../src/main/security/path-gate'

function tree() {
  const base = mkdtempSync(join(tmpdir(), 'motiflens-gate-'))
  const root = join(base, 'shared')
  mkdirSync(join(root, 'sub'), { recursive: true })
  writeFileSync(join(root, 'a.fa'), '>a\nACGT\n')
  writeFileSync(join(root, 'sub', 'b.fa'), '>b\nACGT\n')
  writeFileSync(join(base, 'secret.txt'), 'no')
  symlinkSync(join(base, 'secret.txt'), join(root, 'link-out'))
  symlinkSync(join(root, 'sub', 'b.fa'), join(root, 'link-in.fa'))
  return { base, root }
}

describe('browser mode root gate', () => {
  it('allows files inside the root', async () => {
    const { root } = tree()
    const gate = rootGate(root)
    expect(await gate.check(join(root, 'a.fa'))).toMatch(/a\.fa$/)
    expect(await gate.check('sub/b.fa')).toMatch(/b\.fa$/)
    expect(await gate.check(join(root, 'link-in.fa'))).toMatch(/b\.fa$/)
  })

  it('refuses .. escapes, absolute paths outside and symlinks that lead out', async () => {
    const { base, root } = tree()
    const gate = rootGate(root)
    const outside = /outside the folder this server shares/
    await expect(gate.check(join(root, '..', 'secret.txt'))).rejects.toThrow(outside)
    await expect(gate.check('../secret.txt')).rejects.toThrow(outside)
    await expect(gate.check(join(base, 'secret.txt'))).rejects.toThrow(outside)
    await expect(gate.check('/etc/passwd')).rejects.toThrow(outside)
    await expect(gate.check(join(root, 'link-out'))).rejects.toThrow(outside)
    await expect(gate.list(join(root, '..'))).rejects.toThrow(outside)
    await expect(gate.check(join(root, 'nope.fa'))).rejects.toThrow(/no such file or folder/)
  })

  it('lists folders without leaving the root', async () => {
    const { root } = tree()
    const gate = rootGate(root)
    const top = await gate.list()
    expect(top.parent).toBeNull()
    expect(top.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['dir:sub', 'file:a.fa', 'file:link-in.fa'])
    const sub = await gate.list(join(root, 'sub'))
    expect(sub.parent).toBe(top.dir)
    expect(sub.entries.map((e) => e.name)).toEqual(['b.fa'])
  })

  it('allows uploaded files it was told to grant', async () => {
    const { base, root } = tree()
    const gate = rootGate(root)
    gate.grant([join(base, 'secret.txt')])
    expect(await gate.check(join(base, 'secret.txt'))).toMatch(/secret\.txt$/)
  })
})

describe('Electron granted-files gate', () => {
  it('allows only files granted by a dialog or a drop', async () => {
    const gate = grantedFilesGate()
    await expect(gate.check('/data/x.fa')).rejects.toThrow('/data/x.fa: not opened in this session; open it with the Open button or drop it on the window')
    gate.grant(['/data/x.fa'])
    expect(await gate.check('/data/./x.fa')).toBe('/data/x.fa')
  })
})
