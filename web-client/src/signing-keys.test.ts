// Signing keys and their backups in Node (WebCrypto Ed25519 is in Node 20; IndexedDB is not,
// so MemoryKeyStore stands in — tests/signing-keys.test.mjs covers IndexedDB in Chromium).
import { describe, it, expect } from 'vitest'
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto'
import { SigningKeys, SigningKeyError, BackupError, verifySignature, backupFileName } from './signing-keys'
import { MemoryKeyStore } from './key-store'
import { BACKUP_ITERATIONS, decryptBackup, encryptBackup, fingerprint, fromBase64, toBase64 } from './key-backup'
import { canonicalJsonBytes } from './canonical-json'

// PBKDF2 with 600,000 iterations takes a moment per backup.
const SLOW = 60_000
const PASS = 'correct horse battery staple'
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], b => parseInt(b, 16))
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

// RFC 8032 section 7.1, TEST 1: secret key, public key, and the signature of the empty message.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
const RFC8032_SIG = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
// PKCS#8 (RFC 8410) wraps a 32-byte Ed25519 seed behind this fixed 16-byte DER prefix.
const pkcs8Of = (seedHex: string) => fromHex('302e020100300506032b657004220420' + seedHex)

// Verification as the server does it: a raw 32-byte public key, a detached 64-byte signature.
function nodeVerifies (publicKeyBase64: string, bytes: Uint8Array, signatureBase64: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyBase64, 'base64').toString('base64url') }, format: 'jwk' })
  return nodeVerify(null, bytes, key, Buffer.from(signatureBase64, 'base64'))
}

async function rejection (p: Promise<unknown>): Promise<Error> {
  try { await p } catch (e) { return e as Error }
  throw new Error('expected a rejection')
}

describe('fingerprint', () => {
  it('is the first 16 bytes of SHA-256 of the raw public key, in hex', async () => {
    const pub = fromHex(RFC8032_PUBLIC)
    const id = await fingerprint(pub)
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(id).toBe(createHash('sha256').update(pub).digest('hex').slice(0, 32))
    expect(await fingerprint(fromHex(RFC8032_SEED))).not.toBe(id)
  })
})

describe('SigningKeys', () => {
  it('creates a key whose id is its fingerprint and stores the private key non-extractable', async () => {
    const store = new MemoryKeyStore()
    const keys = new SigningKeys(store)
    const before = Date.now()
    const k = await keys.createKey('  Ana Pérez, Red de Mujeres  ')
    expect(k.label).toBe('Ana Pérez, Red de Mujeres')
    const raw = fromBase64(k.publicKeyBase64)!
    expect(raw.length).toBe(32)
    expect(k.id).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 32))
    expect(Date.parse(k.createdAt)).toBeGreaterThanOrEqual(before - 1000)
    expect(k.backupAvailable).toBe(true)
    expect(k.backupExportedAt).toBeNull()
    const rec = (await store.get(k.id))!
    expect(rec.privateKey.extractable).toBe(false)
    expect(rec.privateKey.usages).toEqual(['sign'])
    await expect(crypto.subtle.exportKey('pkcs8', rec.privateKey)).rejects.toThrow()
    expect(await keys.listKeys()).toEqual([k])
    expect(await keys.getKey(k.id)).toEqual(k)
    expect(await keys.getKey('0'.repeat(32))).toBeNull()
  })

  it('refuses empty, overlong and malformed labels', async () => {
    const keys = new SigningKeys(new MemoryKeyStore())
    for (const bad of ['', '   ', 'x'.repeat(201), 'lone \ud800']) {
      const e = await rejection(keys.createKey(bad))
      expect(e).toBeInstanceOf(SigningKeyError)
      expect((e as SigningKeyError).code).toBe('invalid-label')
    }
    expect(await keys.listKeys()).toEqual([])
  })

  it('signs bytes with a detached signature that WebCrypto and node:crypto verify', async () => {
    const keys = new SigningKeys(new MemoryKeyStore())
    const k = await keys.createKey('key')
    const payload = canonicalJsonBytes({ manifest: 'ab'.repeat(32), kind: 'adheres', organization: { id: 7, name: 'Red', country: 'UY' } })
    const sig = await keys.sign(k.id, payload)
    expect(fromBase64(sig)!.length).toBe(64)
    expect(await verifySignature(k.publicKeyBase64, payload, sig)).toBe(true)
    expect(nodeVerifies(k.publicKeyBase64, payload, sig)).toBe(true)
    // Any change to the signed bytes or the signature fails.
    const changed = payload.slice()
    changed[5] ^= 1
    expect(await verifySignature(k.publicKeyBase64, changed, sig)).toBe(false)
    expect(nodeVerifies(k.publicKeyBase64, changed, sig)).toBe(false)
    const sigBytes = fromBase64(sig)!
    sigBytes[0] ^= 1
    expect(await verifySignature(k.publicKeyBase64, payload, toBase64(sigBytes))).toBe(false)
    // Another key's public key does not verify it; malformed inputs are just "not valid".
    const other = await keys.createKey('other')
    expect(await verifySignature(other.publicKeyBase64, payload, sig)).toBe(false)
    expect(await verifySignature('not base64!', payload, sig)).toBe(false)
    expect(await verifySignature(k.publicKeyBase64, payload, sig.slice(0, 40))).toBe(false)
  })

  it('lists keys oldest first and deletes them', async () => {
    const keys = new SigningKeys(new MemoryKeyStore())
    const a = await keys.createKey('a')
    await new Promise(resolve => setTimeout(resolve, 5)) // distinct creation times
    const b = await keys.createKey('b')
    expect((await keys.listKeys()).map(k => k.label)).toEqual(['a', 'b'])
    await keys.deleteKey(a.id)
    expect((await keys.listKeys()).map(k => k.id)).toEqual([b.id])
    for (const p of [keys.sign(a.id, new Uint8Array(1)), keys.deleteKey(a.id), keys.exportBackup(a.id, PASS)]) {
      const e = await rejection(p)
      expect((e as SigningKeyError).code).toBe('not-found')
    }
  })
})

describe('backups', () => {
  it('round-trips: export, delete, import, and the same public key signs again', async () => {
    const keys = new SigningKeys(new MemoryKeyStore())
    const k = await keys.createKey('Signatory key')
    const blob = await keys.exportBackup(k.id, PASS)
    expect(blob.type).toBe('application/json')
    expect(backupFileName(k.id)).toBe(`accord-key-${k.id}-backup.json`)
    const file = JSON.parse(await blob.text())
    expect(file.format).toBe('accord-key-backup-v1')
    expect(file.id).toBe(k.id)
    expect(file.publicKey).toBe(k.publicKeyBase64)
    expect(file.kdf.name).toBe('PBKDF2')
    expect(file.kdf.hash).toBe('SHA-256')
    expect(file.kdf.iterations).toBeGreaterThanOrEqual(600000)
    expect(fromBase64(file.kdf.salt)!.length).toBe(16)
    expect(file.cipher).toMatchObject({ name: 'AES-GCM', length: 256 })
    expect(fromBase64(file.cipher.iv)!.length).toBe(12)
    // 48 bytes of PKCS#8 + the 16-byte GCM tag.
    expect(fromBase64(file.ciphertext)!.length).toBe(64)
    expect((await keys.getKey(k.id))!.backupExportedAt).not.toBeNull()

    await keys.deleteKey(k.id)
    expect(await keys.listKeys()).toEqual([])
    const restored = await keys.importBackup(blob, PASS)
    expect(restored).toMatchObject({ id: k.id, label: k.label, publicKeyBase64: k.publicKeyBase64, createdAt: k.createdAt })
    expect(restored.backupAvailable).toBe(false) // the restored key is non-extractable too
    const msg = new TextEncoder().encode('after restore')
    expect(nodeVerifies(k.publicKeyBase64, msg, await keys.sign(k.id, msg))).toBe(true)
    // Importing again leaves the key as it is.
    expect((await keys.importBackup(await blob.text(), PASS)).id).toBe(k.id)
    expect((await keys.listKeys()).length).toBe(1)
  }, SLOW)

  it('restores a known key exactly (RFC 8032 test 1 signs the empty message as published)', async () => {
    const pub = fromHex(RFC8032_PUBLIC)
    const meta = { id: await fingerprint(pub), label: 'RFC 8032 test 1', createdAt: '2026-01-01T00:00:00.000Z', publicKeyBase64: toBase64(pub) }
    const text = await encryptBackup(meta, pkcs8Of(RFC8032_SEED), PASS)
    // Two backups of one key never share salt or IV.
    const again = JSON.parse(await encryptBackup(meta, pkcs8Of(RFC8032_SEED), PASS))
    expect(again.kdf.salt).not.toBe(JSON.parse(text).kdf.salt)
    expect(again.cipher.iv).not.toBe(JSON.parse(text).cipher.iv)
    const keys = new SigningKeys(new MemoryKeyStore())
    const k = await keys.importBackup(text, PASS)
    expect(k.id).toBe(meta.id)
    expect(hex(fromBase64(await keys.sign(k.id, new Uint8Array(0)))!)).toBe(RFC8032_SIG)
  }, SLOW)

  it('refuses a wrong passphrase with a clear error and stores nothing', async () => {
    const keys = new SigningKeys(new MemoryKeyStore())
    const k = await keys.createKey('k')
    const text = await (await keys.exportBackup(k.id, PASS)).text()
    await keys.deleteKey(k.id)
    const e = await rejection(keys.importBackup(text, PASS + '!'))
    expect(e).toBeInstanceOf(BackupError)
    expect((e as BackupError).code).toBe('wrong-passphrase')
    expect(e.message).toMatch(/wrong passphrase/i)
    expect(await keys.listKeys()).toEqual([])
  }, SLOW)

  it('accepts the passphrase however its accents are encoded (NFC)', async () => {
    const pub = fromHex(RFC8032_PUBLIC)
    const meta = { id: await fingerprint(pub), label: 'k', createdAt: '2026-01-01T00:00:00.000Z', publicKeyBase64: toBase64(pub) }
    const text = await encryptBackup(meta, pkcs8Of(RFC8032_SEED), 'canción de paz') // composed ó
    const { pkcs8 } = await decryptBackup(text, 'cancio\u0301n de paz') // o + combining acute
    expect(hex(pkcs8)).toBe(hex(pkcs8Of(RFC8032_SEED)))
  }, SLOW)

  it('refuses an altered or malformed backup', async () => {
    const pub = fromHex(RFC8032_PUBLIC)
    const meta = { id: await fingerprint(pub), label: 'Original label', createdAt: '2026-01-01T00:00:00.000Z', publicKeyBase64: toBase64(pub) }
    const text = await encryptBackup(meta, pkcs8Of(RFC8032_SEED), PASS)
    const file = JSON.parse(text)
    // Another key pair's public key, for swapping in.
    const other = new SigningKeys(new MemoryKeyStore())
    const o = await other.createKey('other')
    const flip = (b64: string, i: number) => { const b = fromBase64(b64)!; b[i] ^= 0x01; return toBase64(b) }
    const altered: Array<[string, (f: any) => void]> = [
      ['ciphertext byte', f => { f.ciphertext = flip(f.ciphertext, 20) }],
      ['GCM tag byte', f => { f.ciphertext = flip(f.ciphertext, 63) }],
      ['truncated ciphertext', f => { f.ciphertext = toBase64(fromBase64(f.ciphertext)!.subarray(0, 48)) }],
      ['IV', f => { f.cipher.iv = flip(f.cipher.iv, 0) }],
      ['label', f => { f.label = 'Another label' }],
      ['creation time', f => { f.createdAt = '2025-01-01T00:00:00.000Z' }],
      ['public key and id', f => { f.publicKey = o.publicKeyBase64; f.id = o.id }],
      ['id only', f => { f.id = o.id }],
      ['public key only', f => { f.publicKey = o.publicKeyBase64 }],
      ['format', f => { f.format = 'accord-key-backup-v0' }],
      ['weak iterations', f => { f.kdf.iterations = 1000 }],
      ['huge iterations', f => { f.kdf.iterations = 1e9 }],
      ['cipher', f => { f.cipher.name = 'AES-CBC' }],
      ['salt length', f => { f.kdf.salt = toBase64(new Uint8Array(8)) }],
      ['base64', f => { f.cipher.iv = f.cipher.iv.slice(0, -1) + '*' }],
      ['missing ciphertext', f => { delete f.ciphertext }]
    ]
    const keys = new SigningKeys(new MemoryKeyStore())
    for (const [what, change] of altered) {
      const f = JSON.parse(text)
      change(f)
      const e = await rejection(keys.importBackup(JSON.stringify(f), PASS))
      expect(e, what).toBeInstanceOf(BackupError)
      expect((e as BackupError).code, `${what}: ${e.message}`).toBe('bad-backup')
    }
    for (const junk of ['', 'not json', '[]', '{"format":"accord-key-backup-v1"}', text.slice(0, 100)]) {
      expect(((await rejection(keys.importBackup(junk, PASS))) as BackupError).code).toBe('bad-backup')
    }
    // A wrong key inside a well-formed file, encrypted with the right passphrase: the pair check.
    const mismatched = await encryptBackup({ ...meta, id: o.id, publicKeyBase64: o.publicKeyBase64 }, pkcs8Of(RFC8032_SEED), PASS)
    const e = await rejection(keys.importBackup(mismatched, PASS))
    expect((e as BackupError).code).toBe('bad-backup')
    expect(e.message).toMatch(/does not belong/)
    expect(await keys.listKeys()).toEqual([])
    expect(file.kdf.iterations).toBe(BACKUP_ITERATIONS)
  }, 4 * SLOW)

  it('can only be made while the page that created the key still holds it', async () => {
    const store = new MemoryKeyStore()
    const page1 = new SigningKeys(store)
    const k = await page1.createKey('k')
    // A reload: a new SigningKeys over the same stored keys has no PKCS#8 bytes.
    const page2 = new SigningKeys(store)
    expect((await page2.getKey(k.id))!.backupAvailable).toBe(false)
    const e = await rejection(page2.exportBackup(k.id, PASS))
    expect((e as SigningKeyError).code).toBe('backup-unavailable')
    // The stored key still signs.
    const msg = new Uint8Array([1, 2, 3])
    expect(nodeVerifies(k.publicKeyBase64, msg, await page2.sign(k.id, msg))).toBe(true)
    // Forgetting the material in the creating page has the same effect.
    page1.forgetBackupMaterial(k.id)
    expect(((await rejection(page1.exportBackup(k.id, PASS))) as SigningKeyError).code).toBe('backup-unavailable')
  })

  it('refuses a passphrase shorter than 8 characters', async () => {
    const keys = new SigningKeys(new MemoryKeyStore())
    const k = await keys.createKey('k')
    const e = await rejection(keys.exportBackup(k.id, 'short'))
    expect((e as BackupError).code).toBe('weak-passphrase')
    expect((await keys.getKey(k.id))!.backupExportedAt).toBeNull()
  })
})
