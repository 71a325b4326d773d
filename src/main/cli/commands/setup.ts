/**
 * `motiflens setup gpu`: opt-in install of @tensorflow/tfjs-node-gpu.
 *
 * The GPU package only works with one exact native stack (libtensorflow 2.9 built against
 * CUDA 11.2 and cuDNN 8.1, Linux x86-64), and a mismatch fails at load time with a cryptic
 * dlopen error. So this says what it needs, shows what it found, and installs only when the
 * checks pass (or with --force). Probes are injectable so tests need no GPU and no network.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { UserError } from '../../errors.js'
import { projectRoot } from '../../version.js'
import { boolFlag, parseArgs } from '../args.js'
import type { CliCommand, CliIO } from '../types.js'

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu@4.22.0'

export interface CommandResult {
  /** -1 when the program could not be started (not installed, not on PATH). */
  code: number
  stdout: string
  stderr: string
}

/** Everything `setup gpu` looks at or does outside itself. */
export interface GpuProbes {
  platform: string
  arch: string
  env: Record<string, string | undefined>
  run(command: string, args: string[]): Promise<CommandResult>
  /** File names in a directory ([] when it cannot be read). */
  listDir(dir: string): string[]
  /** Run npm in the app folder with output shown to the user; resolves to its exit code. */
  npm(args: string[], cwd: string): Promise<number>
  appRoot(): string
}

export interface GpuAssessment {
  /** What was found, one line each, for the user. */
  found: string[]
  /** What is missing or wrong; empty when the install can go ahead. */
  problems: string[]
}

const REQUIREMENTS = `tfjs-node-gpu 4.22 needs:
  - Linux on x86-64
  - an NVIDIA GPU with its driver (nvidia-smi)
  - CUDA 11.2 runtime (libcudart.so.11.0) and cuDNN 8.1 (libcudnn.so.8), found by the
    dynamic linker (ldconfig) or in LD_LIBRARY_PATH
  - network access: its install script downloads libtensorflow (about 400 MB)`

/** Find `libname.so.*` entries in `ldconfig -p` output and LD_LIBRARY_PATH folders. */
function findLibrary(prefix: string, ldconfig: string, p: GpuProbes): string[] {
  const hits = new Set<string>()
  for (const line of ldconfig.split('\n')) {
    const m = /^\s*(\S+)\s.*=>\s*(\S+)/.exec(line)
    if (m && m[1].startsWith(`${prefix}.so.`)) hits.add(m[2])
  }
  for (const dir of (p.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    for (const name of p.listDir(dir)) if (name.startsWith(`${prefix}.so.`)) hits.add(path.join(dir, name))
  }
  return [...hits].sort()
}

/** Look at the machine and say whether tfjs-node-gpu can work here. */
export async function assessGpu(p: GpuProbes): Promise<GpuAssessment> {
  const found: string[] = []
  const problems: string[] = []
  found.push(`platform: ${p.platform} ${p.arch}`)
  if (p.platform !== 'linux' || p.arch !== 'x64') {
    problems.push(`tfjs-node-gpu has GPU builds for Linux x86-64 only, this is ${p.platform} ${p.arch}`)
  }

  const smi = await p.run('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'])
  if (smi.code === 0 && smi.stdout.trim()) {
    for (const gpu of smi.stdout.trim().split('\n')) found.push(`GPU: ${gpu.trim()}`)
  } else if (smi.code === -1) {
    found.push('nvidia-smi: not found')
    problems.push('no NVIDIA driver found (nvidia-smi is not on PATH); install the NVIDIA driver first')
  } else {
    found.push(`nvidia-smi: failed (${(smi.stderr || smi.stdout).trim().split('\n')[0] || `exit code ${smi.code}`})`)
    problems.push('nvidia-smi cannot talk to a GPU; check the NVIDIA driver')
  }

  const ld = await p.run('ldconfig', ['-p'])
  const ldOut = ld.code === 0 ? ld.stdout : ''
  const checkLib = (prefix: string, wanted: string, what: string) => {
    const libs = findLibrary(prefix, ldOut, p)
    found.push(`${prefix}: ${libs.length ? libs.join(', ') : 'not found'}`)
    if (!libs.some((l) => path.basename(l) === wanted || path.basename(l).startsWith(`${wanted}.`))) {
      const other = libs.length ? ` (found ${[...new Set(libs.map((l) => path.basename(l)))].join(', ')})` : ''
      problems.push(`${what} not found: need ${wanted}${other}`)
    }
  }
  checkLib('libcudart', 'libcudart.so.11.0', 'CUDA 11.2 runtime')
  checkLib('libcudnn', 'libcudnn.so.8', 'cuDNN 8.1')
  return { found, problems }
}

const usage = `Usage: motiflens setup gpu [--dry-run] [--force]

Opt-in install of ${GPU_PACKAGE}, which trains on an NVIDIA GPU through CUDA.
Checks the machine first and installs only when the checks pass.

${REQUIREMENTS}

Options:
  --dry-run  check only, install nothing
  --force    install even though a check failed (e.g. CUDA libraries in an unusual place)
`

export async function setupGpu(argv: string[], io: CliIO, p: GpuProbes): Promise<number> {
  const args = parseArgs(argv, { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } }, 'setup gpu')
  if (args.positionals.length) {
    throw new UserError(`setup gpu: unexpected argument '${args.positionals[0]}'; see 'motiflens setup --help'`, { exitCode: 2 })
  }
  io.stdout(`${REQUIREMENTS}\n\nFound:\n`)
  const { found, problems } = await assessGpu(p)
  for (const line of found) io.stdout(`  ${line}\n`)
  const root = p.appRoot()
  const undo = `To undo: cd ${root} && npm uninstall --no-save @tensorflow/tfjs-node-gpu (training then uses tfjs-node or WebAssembly again).`
  if (problems.length) {
    io.stdout(`\nProblems:\n${problems.map((x) => `  - ${x}\n`).join('')}`)
    if (!boolFlag(args, 'force')) {
      io.stdout(`\nNothing installed. Fix the above, or run 'motiflens setup gpu --force' to install anyway.\n`)
      return 1
    }
  }
  if (boolFlag(args, 'dry-run')) {
    io.stdout(`\n${problems.length ? 'Checks failed' : 'All checks passed'}; --dry-run: nothing installed. To install: motiflens setup gpu\n`)
    return problems.length ? 1 : 0
  }
  io.stdout(`\nInstalling ${GPU_PACKAGE} in ${root} (npm install --no-save ${GPU_PACKAGE})...\n`)
  const code = await p.npm(['install', '--no-save', '--foreground-scripts', GPU_PACKAGE], root)
  if (code !== 0) {
    io.stderr(`motiflens: npm install ${GPU_PACKAGE} failed (exit code ${code}); nothing changed in how MotifLens trains.\n${undo}\n`)
    return 1
  }
  io.stdout(`\nInstalled. Training now uses the GPU ('tfjs-node-gpu (CUDA)' in 'motiflens bench').\n${undo}\n`)
  return 0
}

/** The real machine. */
export function systemProbes(): GpuProbes {
  return {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    run: (command, args) =>
      new Promise((resolve) => {
        let stdout = ''
        let stderr = ''
        const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
        child.on('error', () => resolve({ code: -1, stdout, stderr }))
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
      }),
    listDir: (dir) => {
      try {
        return fs.readdirSync(dir)
      } catch {
        return []
      }
    },
    npm: (args, cwd) =>
      new Promise((resolve) => {
        const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
        const child = spawn(npm, args, { cwd, stdio: 'inherit' })
        child.on('error', () => resolve(127))
        child.on('close', (code) => resolve(code ?? 1))
      }),
    appRoot: projectRoot,
  }
}

export const setupCommand: CliCommand = {
  name: 'setup',
  summary: 'optional extras: `setup gpu` installs NVIDIA GPU training (tfjs-node-gpu)',
  usage,
  async run(argv, io) {
    const [what, ...rest] = argv
    if (what !== 'gpu') {
      throw new UserError(`setup: ${what === undefined ? 'missing what to set up' : `unknown target '${what}'`}; the only target is 'gpu' (motiflens setup gpu)`, { exitCode: 2 })
    }
    return setupGpu(rest, io, systemProbes())
  },
}
