#!/usr/bin/env node
// MotifLens's own install step (package.json "postinstall"). Dependency install scripts for
// electron and tfjs-node are denied in package.json's allowScripts, so `npm install` and
// `npm ci` never fail on a download. Here we try those two downloads ourselves, each with a
// time limit, and say in one line what is available and what will be used instead.
// Set MOTIFLENS_SKIP_DOWNLOADS=1 to skip the attempts.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nm = join(root, 'node_modules')
const skip = process.env.MOTIFLENS_SKIP_DOWNLOADS === '1'

function electronPresent() {
  const pathTxt = join(nm, 'electron', 'path.txt')
  if (!existsSync(pathTxt)) return false
  return existsSync(join(nm, 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim()))
}

function tfjsNodeBindingPresent(pkg) {
  const lib = join(nm, '@tensorflow', pkg, 'lib')
  if (!existsSync(lib)) return false
  return readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')))
}

function attempt(script, cwd, seconds) {
  if (skip || !existsSync(join(cwd, script))) return false
  const r = spawnSync(process.execPath, [script], { cwd, timeout: seconds * 1000, stdio: 'ignore', env: { ...process.env, npm_config_loglevel: 'silent' } })
  return r.status === 0
}

if (existsSync(join(nm, 'electron')) && !electronPresent()) attempt('install.js', join(nm, 'electron'), 180)
const tfPkg = existsSync(join(nm, '@tensorflow', 'tfjs-node-gpu')) ? 'tfjs-node-gpu' : 'tfjs-node'
if (existsSync(join(nm, '@tensorflow', tfPkg)) && !tfjsNodeBindingPresent(tfPkg)) attempt(join('scripts', 'install.js'), join(nm, '@tensorflow', tfPkg), 300)

const haveElectron = electronPresent()
const haveTf = tfjsNodeBindingPresent(tfPkg)
const missing = []
if (!haveElectron) missing.push('the Electron binary (`npm start` will open browser mode instead)')
if (!haveTf) missing.push('libtensorflow (training will use the WebAssembly backend instead)')
if (missing.length === 0) console.log(`motiflens: ready: Electron app and ${tfPkg} (libtensorflow) installed.`)
else console.log(`motiflens: could not download ${missing.join(' and ')}; everything else is installed.`)
