// Locates and runs the ydoc tool under test: $YDOC if set (e.g. the Yjs stand-in
// lib/ydoc-oracle), else $ACCORD_BIN_DIR/ydoc (default <repo>/build-asan/bin/ydoc).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export function ydocPath () {
  if (process.env.YDOC) return path.resolve(process.env.YDOC)
  const binDir = process.env.ACCORD_BIN_DIR || path.join(repo, 'build-asan', 'bin')
  return path.join(binDir, 'ydoc')
}

// Throws (so the test FAILS, never skips) when the binary is missing.
export function requireYdoc () {
  const p = ydocPath()
  if (!existsSync(p)) {
    throw new Error(`ydoc not found at ${p}: build it (make build-asan, target ydoc) or set ` +
      'ACCORD_BIN_DIR, or YDOC=tests/node/lib/ydoc-oracle to run against the Yjs stand-in')
  }
  return p
}

// Limits how many ydoc processes run at once across the whole suite.
export class Semaphore {
  constructor (n) { this.n = n; this.queue = [] }
  async acquire () {
    if (this.n > 0) { this.n--; return }
    await new Promise(resolve => this.queue.push(resolve))
  }
  release () {
    const next = this.queue.shift()
    if (next) next(); else this.n++
  }
}

export const defaultJobs = () => Number(process.env.CRDT_JOBS) || Math.max(1, availableParallelism())
const slots = new Semaphore(defaultJobs())

// Runs ydoc with args; resolves { code, signal, stdout: Buffer, stderr: string, ms, timedOut }.
export async function runYdoc (args, { timeoutMs = 60000, cwd } = {}) {
  const bin = requireYdoc()
  await slots.acquire()
  const t0 = performance.now()
  try {
    return await new Promise((resolve, reject) => {
      const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd })
      const out = []
      const err = []
      let timedOut = false
      const timer = setTimeout(() => { timedOut = true; proc.kill('SIGKILL') }, timeoutMs)
      proc.stdout.on('data', d => out.push(d))
      proc.stderr.on('data', d => err.push(d))
      proc.on('error', e => { clearTimeout(timer); reject(e) })
      proc.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve({
          code, signal, timedOut, stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - t0
        })
      })
    })
  } finally {
    slots.release()
  }
}

// Sanitizer reports, signals and time-outs are crashes whatever the exit code says.
export function crashReason (r) {
  if (r.timedOut) return 'timed out'
  if (r.signal) return `killed by ${r.signal}`
  if (/Sanitizer|runtime error:|LeakSanitizer|SUMMARY: /.test(r.stderr)) return 'sanitizer report'
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) return `exit code ${r.code}`
  return null
}

export function describeRun (args, r) {
  return `ydoc ${args.join(' ')}\n  -> exit ${r.code}${r.signal ? ' signal ' + r.signal : ''}` +
    `${r.timedOut ? ' (timed out)' : ''}, ${r.stdout.length} bytes out, stderr:\n${r.stderr.slice(0, 4000)}`
}
