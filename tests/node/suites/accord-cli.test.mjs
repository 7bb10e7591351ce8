// The `accord` admin CLI: token creation prints a token once, refuses bad input with a clear
// message and exit code 2 (usage) or 1 (rejected), and stores no plaintext; the read-only
// document and database commands (doc export, doc list, db check) report clearly too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

// A data directory with a database and nothing stored yet (token create makes the database).
function freshInstance () {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  const r = accord('token', 'create', '--data', dir, '--doc', '*', '--access', 'read')
  assert.equal(r.status, 0, r.stderr)
  return dir
}

test('db check, doc list and doc export on an instance with no documents', () => {
  const dir = freshInstance()
  try {
    const check = accord('db', 'check', '--data', dir)
    assert.equal(check.status, 0, check.stderr)
    assert.equal(check.stdout, 'ok\n')
    const list = accord('doc', 'list', '--data', dir)
    assert.equal(list.status, 0, list.stderr)
    assert.equal(list.stdout, '')
    const missing = accord('doc', 'export', '--data', dir, 'no-such-doc')
    assert.equal(missing.status, 1)
    assert.match(missing.stderr, /not found: .*'no-such-doc'/)
    assert.equal(missing.stdout, '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('doc and db commands never create a database in a wrong directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  try {
    const commands = [['doc', 'list', '--data', dir], ['db', 'check', '--data', dir],
      ['doc', 'export', '--data', dir, 'x']]
    for (const args of commands) {
      const r = accord(...args)
      assert.equal(r.status, 1, `accord ${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, /no database in/)
      assert.equal(r.stdout, '')
    }
    assert.ok(!existsSync(path.join(dir, 'accord.db')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('db check reports a damaged database file and exits 1', () => {
  const dir = freshInstance()
  try {
    for (const f of readdirSync(dir)) rmSync(path.join(dir, f))
    writeFileSync(path.join(dir, 'accord.db'), Buffer.alloc(8192, 'not a database '))
    const r = accord('db', 'check', '--data', dir)
    assert.equal(r.status, 1)
    assert.notEqual(r.stdout + r.stderr, '')
    assert.doesNotMatch(r.stdout, /^ok$/m)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('doc and db commands refuse bad arguments with usage errors', () => {
  const dir = freshInstance()
  try {
    const cases = [
      [['doc', 'export', '--data', dir], /doc export needs --data DIR and one document NAME/],
      [['doc', 'export', '--data', dir, 'a', 'b'], /doc export needs --data DIR and one document NAME/],
      [['doc', 'export', '--data', dir, '--doc', 'a'], /unknown flag --doc/],
      [['doc', 'list'], /doc list needs --data DIR/],
      [['doc', 'list', '--data', dir, 'extra'], /unexpected argument 'extra'/],
      [['db', 'check', '--data'], /--data needs a value/],
      [['doc'], /doc needs a subcommand: export or list/],
      [['db', 'vacuum'], /db needs a subcommand: check/]
    ]
    for (const [args, message] of cases) {
      const r = accord(...args)
      assert.equal(r.status, 2, `accord ${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
      assert.equal(r.stdout, '')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
