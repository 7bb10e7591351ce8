// Browser test of the signing-key library (src/signing-keys.ts) in Debian's Chromium: WebCrypto
// Ed25519 and IndexedDB for real, which the unit tests (Node, memory store) cannot cover.
// No server is involved: the test bundles the library with Vite into a temporary directory and
// serves it with a one-page HTTP server on 127.0.0.1 (a secure context, so crypto.subtle
// exists); the page exposes the module as window.keys and the test drives it via evaluate.
// Signatures are verified in Node with node:crypto, from the raw 32-byte public key alone, as
// the server will with libsodium.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPublicKey, verify } from 'node:crypto'
import { build } from 'vite'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const src = path.resolve(here, '../src')
const PASS = 'una frase de paso bastante larga'
let dir, server, origin, browser

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'accord-keys-'))
  const entry = path.join(dir, 'entry.ts')
  await writeFile(entry, `export * from ${JSON.stringify(path.join(src, 'signing-keys.ts'))}\n` +
    `export * from ${JSON.stringify(path.join(src, 'canonical-json.ts'))}\n`)
  await build({
    configFile: false,
    logLevel: 'warn',
    root: dir,
    build: { outDir: path.join(dir, 'out'), emptyOutDir: true, minify: false, target: 'es2022', lib: { entry, formats: ['es'], fileName: () => 'keys.js' } }
  })
  const page = '<!doctype html><meta charset="utf-8"><title>keys</title>' +
    '<script type="module">import * as keys from "/keys.js"; window.keys = keys; document.title = "ready"</script>'
  const js = await readFile(path.join(dir, 'out', 'keys.js'))
  server = http.createServer((req, res) => {
    if (req.url === '/keys.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(js); return }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(page)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${server.address().port}`
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
})
after(async () => {
  await browser?.close()
  server?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function open (context) {
  const page = await context.newPage()
  page.on('pageerror', e => console.error('page error:', e))
  await page.goto(origin + '/')
  await page.waitForFunction(() => document.title === 'ready')
  return page
}
async function reload (page) {
  await page.reload()
  await page.waitForFunction(() => document.title === 'ready')
}

// Ed25519 verification from the raw public key (SPKI = fixed 12-byte prefix + the 32 bytes).
function verifies (publicKeyBase64, message, signatureBase64) {
  const raw = Buffer.from(publicKeyBase64, 'base64')
  assert.equal(raw.length, 32)
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' })
  const sig = Buffer.from(signatureBase64, 'base64')
  assert.equal(sig.length, 64)
  return verify(null, Buffer.from(message), key, sig)
}

// Signs an endorsement-like payload in the page; returns the exact text and its signature.
const signEndorsement = (page, id, n) => page.evaluate(async ([id, n]) => {
  const text = window.keys.canonicalJson({ kind: 'adheres', manifest: 'ab'.repeat(32), organization: { id: n, name: 'Frente Sur', country: 'AR' }, signatory: { name: 'Ana Pérez', title: 'Secretaria' }, time: '2026-12-03T17:00:00Z' })
  return { text, signature: await window.keys.sign(id, new TextEncoder().encode(text)) }
}, [id, n])

// The stored record as IndexedDB gives it back, without the library.
const rawRecord = (page, id) => page.evaluate(id => new Promise((resolve, reject) => {
  const req = indexedDB.open('accord-signing-keys')
  req.onerror = () => reject(req.error)
  req.onsuccess = () => {
    const get = req.result.transaction('keys').objectStore('keys').get(id)
    get.onerror = () => reject(get.error)
    get.onsuccess = async () => {
      const r = get.result
      req.result.close()
      if (!r) return resolve(null)
      let exportError = null
      try { await crypto.subtle.exportKey('pkcs8', r.privateKey) } catch (e) { exportError = e.name }
      resolve({
        id: r.id, label: r.label, publicKeyBase64: r.publicKeyBase64,
        isCryptoKey: r.privateKey instanceof CryptoKey, type: r.privateKey.type, algorithm: r.privateKey.algorithm.name,
        extractable: r.privateKey.extractable, usages: r.privateKey.usages, exportError
      })
    }
  }
}), id)

const failure = (page, fn, args) => page.evaluate(async ([fn, args]) => {
  try { await window.keys[fn](...args); return null } catch (e) { return { name: e.name, code: e.code, message: e.message } }
}, [fn, args])

test('a key is created, survives a reload, signs, is backed up, deleted and restored', async () => {
  const context = await browser.newContext()
  const page = await open(context)

  // Create: the id is the fingerprint, the backup can be made now (and only now).
  const key = await page.evaluate(() => window.keys.createKey('Ana Pérez — Frente Sur'))
  assert.match(key.id, /^[0-9a-f]{32}$/)
  const raw = Buffer.from(key.publicKeyBase64, 'base64')
  assert.equal(raw.length, 32)
  const { createHash } = await import('node:crypto')
  assert.equal(key.id, createHash('sha256').update(raw).digest('hex').slice(0, 32))
  assert.equal(key.backupAvailable, true)
  const backup = await page.evaluate(async ([id, pass]) => {
    const blob = await window.keys.exportBackup(id, pass)
    return { type: blob.type, text: await blob.text() }
  }, [key.id, PASS])
  assert.equal(backup.type, 'application/json')
  const file = JSON.parse(backup.text)
  assert.equal(file.format, 'accord-key-backup-v1')
  assert.equal(file.publicKey, key.publicKeyBase64)
  assert.ok(file.kdf.iterations >= 600000)

  // Reload: the key is found again in IndexedDB, as a non-extractable CryptoKey.
  await reload(page)
  const listed = await page.evaluate(() => window.keys.listKeys())
  assert.equal(listed.length, 1)
  assert.equal(listed[0].id, key.id)
  assert.equal(listed[0].publicKeyBase64, key.publicKeyBase64)
  assert.equal(listed[0].label, 'Ana Pérez — Frente Sur')
  assert.ok(listed[0].backupExportedAt, 'the backup export is recorded')
  assert.equal(listed[0].backupAvailable, false)
  const stored = await rawRecord(page, key.id)
  assert.deepEqual(
    { isCryptoKey: stored.isCryptoKey, type: stored.type, algorithm: stored.algorithm, extractable: stored.extractable, usages: stored.usages },
    { isCryptoKey: true, type: 'private', algorithm: 'Ed25519', extractable: false, usages: ['sign'] })
  assert.equal(stored.exportError, 'InvalidAccessError', 'the private key bytes cannot be read back')
  // After the reload no new backup can be made: the PKCS#8 bytes were only in memory.
  assert.equal((await failure(page, 'exportBackup', [key.id, PASS])).code, 'backup-unavailable')

  // Sign in the browser, verify in Node from the raw public key.
  const signed = await signEndorsement(page, key.id, 7)
  assert.ok(signed.text.startsWith('{"kind":"adheres","manifest":"abab'))
  assert.ok(verifies(key.publicKeyBase64, signed.text, signed.signature))
  assert.ok(!verifies(key.publicKeyBase64, signed.text.replace('"id":7', '"id":8'), signed.signature))

  // Delete: gone from the list and from IndexedDB; signing with it fails.
  await page.evaluate(id => window.keys.deleteKey(id), key.id)
  assert.deepEqual(await page.evaluate(() => window.keys.listKeys()), [])
  assert.equal(await rawRecord(page, key.id), null)
  assert.equal((await failure(page, 'sign', [key.id, new Uint8Array([1])])).code, 'not-found')

  // Restore: a wrong passphrase and an altered file are refused with clear errors.
  const wrong = await page.evaluate(([text]) => window.keys.importBackup(new File([text], 'backup.json'), 'not the passphrase').then(() => null, e => ({ code: e.code, message: e.message })), [backup.text])
  assert.equal(wrong.code, 'wrong-passphrase')
  assert.match(wrong.message, /wrong passphrase/i)
  const altered = JSON.parse(backup.text)
  const ct = Buffer.from(altered.ciphertext, 'base64'); ct[10] ^= 1; altered.ciphertext = ct.toString('base64')
  const tampered = await failure(page, 'importBackup', [JSON.stringify(altered), PASS])
  assert.equal(tampered.code, 'bad-backup')
  assert.deepEqual(await page.evaluate(() => window.keys.listKeys()), [])

  // The right passphrase brings back the same key, which signs again; it persists.
  const restored = await page.evaluate(([text, pass]) => window.keys.importBackup(new File([text], 'backup.json', { type: 'application/json' }), pass), [backup.text, PASS])
  assert.equal(restored.id, key.id)
  assert.equal(restored.publicKeyBase64, key.publicKeyBase64)
  assert.equal(restored.createdAt, key.createdAt)
  await reload(page)
  assert.deepEqual((await page.evaluate(() => window.keys.listKeys())).map(k => k.id), [key.id])
  assert.equal((await rawRecord(page, key.id)).extractable, false)
  const again = await signEndorsement(page, key.id, 9)
  assert.ok(verifies(key.publicKeyBase64, again.text, again.signature))

  // Another browser profile (a new context has its own IndexedDB) restores the same file.
  const elsewhere = await open(await browser.newContext())
  assert.deepEqual(await elsewhere.evaluate(() => window.keys.listKeys()), [])
  const there = await elsewhere.evaluate(([text, pass]) => window.keys.importBackup(text, pass), [backup.text, PASS])
  assert.equal(there.publicKeyBase64, key.publicKeyBase64)
  const third = await signEndorsement(elsewhere, key.id, 11)
  assert.ok(verifies(key.publicKeyBase64, third.text, third.signature))
  await elsewhere.context().close()
  await context.close()
})

test('several keys are kept apart and listed oldest first', async () => {
  const context = await browser.newContext()
  const page = await open(context)
  const a = await page.evaluate(() => window.keys.createKey('first'))
  const b = await page.evaluate(() => window.keys.createKey('second'))
  assert.notEqual(a.id, b.id)
  await reload(page)
  const listed = await page.evaluate(() => window.keys.listKeys())
  assert.deepEqual(listed.map(k => k.label).sort(), ['first', 'second'])
  assert.ok(listed[0].createdAt <= listed[1].createdAt)
  const sa = await signEndorsement(page, a.id, 1)
  assert.ok(verifies(a.publicKeyBase64, sa.text, sa.signature))
  assert.ok(!verifies(b.publicKeyBase64, sa.text, sa.signature), "one key's signature does not verify under another")
  await context.close()
})
