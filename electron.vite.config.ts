import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

/**
 * One build for every shell. The main build has three entries: the Electron main process,
 * the CLI (which also runs browser mode), and the training worker that both start; node_modules
 * stay external so tfjs backends resolve their native/wasm files at run time. The preload is
 * CommonJS because sandboxed preloads cannot be ES modules.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/entry.ts'),
          'train-worker': resolve('src/main/jobs/train-worker.ts'),
          // Data-parallel training workers (src/main/compute/parallel.ts starts them).
          'parallel-worker': resolve('src/main/compute/parallel-worker.ts'),
          // Motif scans and database comparisons (src/main/motifs/scan.ts starts them).
          'motif-scan-worker': resolve('src/main/motifs/scan-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [svelte()],
  },
})
