// Loading the editing traces (<repo>/../shared/traces/*.json.gz, see its README.md) for the
// benchmark drivers, with positions converted from Unicode code points to UTF-16 units.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const tracesDir = () => process.env.ACCORD_TRACES_DIR || path.resolve(repo, '..', 'shared', 'traces')
export const binDir = () => process.env.ACCORD_BIN_DIR || path.join(repo, 'build', 'bin')

export function listTraces () {
  const d = tracesDir()
  return existsSync(d) ? readdirSync(d).filter(f => f.endsWith('.json.gz')).map(f => f.replace(/\.json\.gz$/, '')).sort() : []
}

export function listYjsUpdateFiles () {
  const d = path.join(tracesDir(), 'yjs-updates')
  return existsSync(d) ? readdirSync(d).filter(f => f.endsWith('.yjs')).sort().map(f => path.join(d, f)) : []
}

export function tracePath (nameOrPath) {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.gz')) return nameOrPath
  return path.join(tracesDir(), `${nameOrPath}.json.gz`)
}

const ASTRAL = /[\ud800-\udfff]/

// Returns { name, txns: [[[pos, del, ins], ...], ...], end, edits } with pos/del in UTF-16 units.
// A non-empty startContent becomes a first transaction inserting it.
export function loadTrace (nameOrPath) {
  const file = tracePath(nameOrPath)
  const raw = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'))
  const txns = raw.txns.map(t => t.patches.map(([pos, del, ins]) => [pos, del, ins]))
  if (raw.startContent) txns.unshift([[0, 0, raw.startContent]])
  const needsConversion = ASTRAL.test(raw.startContent || '') || raw.txns.some(t => t.patches.some(p => ASTRAL.test(p[2])))
  if (needsConversion) convertToUtf16(txns)
  let edits = 0
  for (const t of txns) edits += t.length
  return { name: path.basename(file).replace(/\.json\.gz$/, ''), txns, end: raw.endContent, edits }
}

// Slow path (only for traces with characters outside the BMP): replays the trace on a string to
// turn code point positions and lengths into UTF-16 ones.
function convertToUtf16 (txns) {
  let doc = ''
  const unitsBefore = (cp) => { // UTF-16 index of code point cp
    let i = 0
    for (let c = 0; c < cp; c++) i += doc.codePointAt(i) > 0xffff ? 2 : 1
    return i
  }
  for (const t of txns) {
    for (const p of t) {
      const start = unitsBefore(p[0])
      let end = start
      for (let c = 0; c < p[1]; c++) end += doc.codePointAt(end) > 0xffff ? 2 : 1
      doc = doc.slice(0, start) + p[2] + doc.slice(end)
      p[0] = start
      p[1] = end - start
    }
  }
}

export function gc () {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc')
  for (let i = 0; i < 3; i++) globalThis.gc()
}

export function heapBytes () {
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}

export function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

// Parses --flag value / --flag options.
export function parseArgs (argv, spec) {
  const out = { ...spec }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`)
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    if (!(key in spec)) throw new Error(`unknown option ${a}`)
    if (typeof spec[key] === 'boolean') out[key] = true
    else out[key] = typeof spec[key] === 'number' ? Number(argv[++i]) : argv[++i]
  }
  return out
}
