// The `accord` admin CLI: token creation prints a token once, refuses bad input with a clear
// message and exit code 2 (usage) or 1 (rejected), and stores no plaintext.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { binary } from '../lib/accordd.mjs'

function accord (...args) {
  return spawnSync(binary('accord'), args, { encoding: 'utf8' })
}

test('token create prints a fresh token per call and stores only its hash', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  try {
    const a = accord('token', 'create', '--data', dir, '--doc', 'team-*', '--access', 'write')
    const b = accord('token', 'create', '--data', dir, '--doc', 'minutes', '--access', 'read', '--ttl', '7d')
    assert.equal(a.status, 0, a.stderr)
    assert.equal(b.status, 0, b.stderr)
    assert.match(a.stdout, /^acc_[A-Za-z0-9_-]{43}\n$/)
    assert.notEqual(a.stdout, b.stdout)
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, f))
      assert.ok(!bytes.includes(a.stdout.trim()) && !bytes.includes(b.stdout.trim()), `${f} holds a token`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('bad arguments get a clear message and a non-zero exit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  try {
    const cases = [
      [['token', 'create', '--data', dir, '--doc', 'x', '--access', 'admin'], 2, /--access is read or write/],
      [['token', 'create', '--data', dir, '--doc', 'x', '--access', 'read', '--ttl', '5x'], 2, /--ttl needs a duration/],
      [['token', 'create', '--data', dir, '--access', 'read'], 2, /needs --data, --doc and --access/],
      [['token', 'create', '--data', dir, '--doc', '../etc', '--access', 'read'], 1, /bad document pattern/],
      [['token'], 2, /subcommand/],
      [['frobnicate'], 2, /unknown command/]
    ]
    for (const [args, code, message] of cases) {
      const r = accord(...args)
      assert.equal(r.status, code, `accord ${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
      assert.equal(r.stdout, '')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
