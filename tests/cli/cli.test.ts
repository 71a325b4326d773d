import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/main/cli/index'
import { parseArgs } from '../../src/main/cli/args'
import { appVersion } from '../../src/main/version'

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd: process.cwd(), env: {} })
  return { code, stdout, stderr }
}

describe('motiflens CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli('--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: motiflens <command> [options]')
    expect(r.stdout).toMatch(/^\s+serve\s+run the app in a web browser/m)
    expect(r.stdout).toMatch(/^\s+start\s+open the desktop app/m)
  })

  it('--version prints the package version', async () => {
    const r = await cli('--version')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${appVersion()}\n`)
    expect(appVersion()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('an unknown command is one line on stderr with exit code 2', async () => {
    const r = await cli('frobnicate')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("motiflens: unknown command 'frobnicate'; run 'motiflens --help' for the list\n")
  })

  it('bad options are one line without a stack trace, unless --debug', async () => {
    const r = await cli('serve', '--port', 'eighty')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("motiflens: serve: --port 'eighty' is not an integer >= 0 <= 65535\n")
    const unknown = await cli('serve', '--colour', 'blue')
    expect(unknown.stderr).toBe("motiflens: serve: unknown option '--colour'; see 'motiflens serve --help'\n")
    expect(unknown.stderr.split('\n')).toHaveLength(2)
  })

  it('a command --help prints its usage', async () => {
    const r = await cli('serve', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('ssh -L 7878:127.0.0.1:7878')
  })
})

describe('parseArgs', () => {
  const spec = { positives: { type: 'list' as const }, seed: { type: 'string' as const }, json: { type: 'boolean' as const } }
  it('reads lists until the next flag, single values, booleans and positionals', () => {
    const p = parseArgs(['data.fa', '--positives', 'a.fa', 'b.fa', '--seed=3', '--json', 'more'], spec, 't')
    expect(p.flags).toEqual({ positives: ['a.fa', 'b.fa'], seed: '3', json: true })
    expect(p.positionals).toEqual(['data.fa', 'more'])
  })
  it('refuses a missing value and a repeated single value', () => {
    expect(() => parseArgs(['--seed'], spec, 't')).toThrow("t: option '--seed' needs a value")
    expect(() => parseArgs(['--seed', '1', '--seed', '2'], spec, 't')).toThrow("t: option '--seed' given twice")
  })
})
