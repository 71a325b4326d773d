import { describe, expect, it } from 'vitest'
import { assessGpu, setupGpu, setupCommand, type CommandResult, type GpuProbes } from '../../src/main/cli/commands/setup.js'
import type { CliIO } from '../../src/main/cli/types.js'

const LDCONFIG_OK = `1234 libs found in cache \`/etc/ld.so.cache'
\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8
\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcudart.so.11.0
\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6
`
const LDCONFIG_CUDA12 = `\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12.4/lib64/libcudart.so.12
\tlibcudnn.so.9 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.9
`

function probes(over: Partial<GpuProbes> & { smi?: CommandResult; ldconfig?: string } = {}) {
  const npmCalls: { args: string[]; cwd: string }[] = []
  const p: GpuProbes = {
    platform: 'linux',
    arch: 'x64',
    env: {},
    run: async (cmd) => {
      if (cmd === 'nvidia-smi') return over.smi ?? { code: 0, stdout: 'NVIDIA A100-SXM4-40GB, 535.104.05, 40960 MiB\n', stderr: '' }
      if (cmd === 'ldconfig') return { code: 0, stdout: over.ldconfig ?? LDCONFIG_OK, stderr: '' }
      return { code: -1, stdout: '', stderr: '' }
    },
    listDir: () => [],
    npm: async (args, cwd) => {
      npmCalls.push({ args, cwd })
      return 0
    },
    appRoot: () => '/opt/motiflens',
    ...over,
  }
  return { p, npmCalls }
}

function io(): CliIO & { out: string; err: string } {
  const o = { out: '', err: '', isTTY: false, cwd: '/', env: {} } as CliIO & { out: string; err: string }
  o.stdout = (t) => void (o.out += t)
  o.stderr = (t) => void (o.err += t)
  return o
}

describe('setup gpu detection', () => {
  it('accepts Linux x64 with a driver, CUDA 11 runtime and cuDNN 8', async () => {
    const a = await assessGpu(probes().p)
    expect(a.problems).toEqual([])
    expect(a.found).toEqual([
      'platform: linux x64',
      'GPU: NVIDIA A100-SXM4-40GB, 535.104.05, 40960 MiB',
      'libcudart: /usr/local/cuda-11.2/lib64/libcudart.so.11.0',
      'libcudnn: /usr/lib/x86_64-linux-gnu/libcudnn.so.8',
    ])
  })

  it('names the wrong CUDA/cuDNN versions it found', async () => {
    const a = await assessGpu(probes({ ldconfig: LDCONFIG_CUDA12 }).p)
    expect(a.problems).toEqual([
      'CUDA 11.2 runtime not found: need libcudart.so.11.0 (found libcudart.so.12)',
      'cuDNN 8.1 not found: need libcudnn.so.8 (found libcudnn.so.9)',
    ])
  })

  it('finds libraries in LD_LIBRARY_PATH that ldconfig does not know', async () => {
    const { p } = probes({
      ldconfig: '',
      env: { LD_LIBRARY_PATH: '/opt/cuda/lib64:/opt/cudnn/lib' },
      listDir: (d) => (d === '/opt/cuda/lib64' ? ['libcudart.so.11.0', 'libcublas.so.11'] : d === '/opt/cudnn/lib' ? ['libcudnn.so.8.1.0'] : []),
    })
    const a = await assessGpu(p)
    expect(a.problems).toEqual([])
    expect(a.found).toContain('libcudnn: /opt/cudnn/lib/libcudnn.so.8.1.0')
  })

  it('reports a missing driver and a non-Linux platform', async () => {
    const a = await assessGpu(probes({ platform: 'darwin', arch: 'arm64', smi: { code: -1, stdout: '', stderr: '' }, ldconfig: '' }).p)
    expect(a.problems).toEqual([
      'tfjs-node-gpu has GPU builds for Linux x86-64 only, this is darwin arm64',
      'no NVIDIA driver found (nvidia-smi is not on PATH); install the NVIDIA driver first',
      'CUDA 11.2 runtime not found: need libcudart.so.11.0',
      'cuDNN 8.1 not found: need libcudnn.so.8',
    ])
    const b = await assessGpu(probes({ smi: { code: 9, stdout: '', stderr: 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n' } }).p)
    expect(b.found[1]).toBe('nvidia-smi: failed (NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.)')
    expect(b.problems).toEqual(['nvidia-smi cannot talk to a GPU; check the NVIDIA driver'])
  })
})

describe('setup gpu command', () => {
  it('installs only after the checks pass, and says how to undo', async () => {
    const { p, npmCalls } = probes()
    const o = io()
    expect(await setupGpu([], o, p)).toBe(0)
    expect(npmCalls).toEqual([{ args: ['install', '--no-save', '--foreground-scripts', '@tensorflow/tfjs-node-gpu@4.22.0'], cwd: '/opt/motiflens' }])
    expect(o.out).toContain('CUDA 11.2 runtime (libcudart.so.11.0) and cuDNN 8.1')
    expect(o.out.indexOf('GPU: NVIDIA A100')).toBeLessThan(o.out.indexOf('Installing'))
    expect(o.out).toContain('To undo: cd /opt/motiflens && npm uninstall --no-save @tensorflow/tfjs-node-gpu')
  })

  it('installs nothing when a check fails, unless --force', async () => {
    const { p, npmCalls } = probes({ smi: { code: -1, stdout: '', stderr: '' } })
    const o = io()
    expect(await setupGpu([], o, p)).toBe(1)
    expect(npmCalls).toEqual([])
    expect(o.out).toContain("Nothing installed. Fix the above, or run 'motiflens setup gpu --force' to install anyway.")
    expect(await setupGpu(['--force'], io(), p)).toBe(0)
    expect(npmCalls.length).toBe(1)
  })

  it('--dry-run checks without installing', async () => {
    const { p, npmCalls } = probes()
    const o = io()
    expect(await setupGpu(['--dry-run'], o, p)).toBe(0)
    expect(npmCalls).toEqual([])
    expect(o.out).toContain('All checks passed; --dry-run: nothing installed.')
  })

  it('reports a failed npm install', async () => {
    const { p } = probes({ npm: async () => 1 })
    const o = io()
    expect(await setupGpu([], o, p)).toBe(1)
    expect(o.err).toContain('motiflens: npm install @tensorflow/tfjs-node-gpu@4.22.0 failed (exit code 1)')
  })

  it('rejects unknown targets with one line', async () => {
    await expect(setupCommand.run(['cuda'], io())).rejects.toThrow("setup: unknown target 'cuda'; the only target is 'gpu' (motiflens setup gpu)")
  })
})
