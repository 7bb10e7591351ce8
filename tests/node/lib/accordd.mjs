// Starts a real accordd on a loopback port for a test and stops it afterwards.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const binDir = process.env.ACCORD_BIN_DIR || path.join(repo, 'build-asan', 'bin')

export function binary (name) {
  const p = path.join(binDir, name)
  if (!existsSync(p)) throw new Error(`${p} does not exist: build first (make build-asan) or set ACCORD_BIN_DIR`)
  return p
}

// Resolves to { url, port, dataDir, proc, logs, stop() } once accordd reports it is listening.
export async function startAccordd ({ dataDir, args = [], env } = {}) {
  const dir = dataDir || mkdtempSync(path.join(tmpdir(), 'accordd-test-'))
  const proc = spawn(binary('accordd'), ['--data', dir, '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env
  })
  const logs = []
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('accordd did not start within 30 s:\n' + logs.join(''))), 30000)
    let buffered = ''
    proc.stderr.on('data', chunk => {
      logs.push(chunk.toString())
      buffered += chunk.toString()
      for (const line of buffered.split('\n').slice(0, -1)) {
        try {
          const entry = JSON.parse(line)
          if (entry.msg === 'listening') { clearTimeout(timer); resolve(entry.url) }
        } catch { /* not a JSON line */ }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1)
    })
    proc.on('exit', code => { clearTimeout(timer); reject(new Error(`accordd exited with ${code}:\n${logs.join('')}`)) })
  })
  const exited = new Promise(resolve => proc.on('exit', (code, signal) => resolve({ code, signal })))
  return {
    url,
    port: Number(new URL(url).port),
    dataDir: dir,
    proc,
    logs,
    exited,
    async stop ({ keepData = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const result = await exited
      if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true })
      return result
    }
  }
}
