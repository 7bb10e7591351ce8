// A signatory's Ed25519 signing keys, created and used in the browser (issue 8, sign-on).
//
// The private key never leaves the browser except inside the encrypted backup file
// (key-backup.ts). Signatures are detached Ed25519 signatures (RFC 8032) over the exact bytes
// given — for endorsements, the RFC 8785 canonical JSON of canonical-json.ts — which the server
// checks with libsodium's crypto_sign_verify_detached against the raw 32-byte public key.
//
// WebCrypto Ed25519 (Chromium 137+, Firefox 129+, Safari 17+, Node 20) does the work; no
// library is needed. A browser without it gets SigningKeyError 'unsupported'.
//
// Why the private key is non-extractable, and what that costs:
// - The stored CryptoKey is imported with extractable = false. IndexedDB keeps it by structured
//   clone; scripts of this origin (an injected one included) can make the browser sign with it
//   while the page is open, but can never read the key bytes and carry them away.
// - The backup file needs those bytes, though. So createKey generates the pair as extractable,
//   exports the PKCS#8 private key once, and stores only a non-extractable re-import. The PKCS#8
//   bytes stay in this page's memory (never on disk) so that exportBackup can encrypt them when
//   the signatory picks a passphrase right after creation; forgetBackupMaterial wipes them, and
//   a reload loses them. After that, no new backup can be made of the key: the sign-on screen
//   must ask for the backup at creation. (The alternative, keeping the bytes wrapped under a
//   key stored next to them, would make "non-extractable" meaningless.)
// - A key restored from a backup is likewise stored non-extractable; its backup is the file.
//
// The module-level functions (createKey, listKeys, …) use IndexedDB; `new SigningKeys(store)`
// takes another KeyStore (the unit tests use MemoryKeyStore).
import { buf, decryptBackup, encryptBackup, fingerprint, fromBase64, toBase64 } from './key-backup'
import { canonicalJson, CanonicalJsonError } from './canonical-json'
import { IndexedDbKeyStore, type KeyRecord, type KeyStore } from './key-store'

export { BackupError } from './key-backup'
export type { KeyStore, KeyRecord } from './key-store'

/** What the UI sees of a key (never the private key). */
export interface SigningKeyInfo {
  /** Fingerprint: hex of the first 16 bytes of SHA-256(raw public key), 32 characters. */
  id: string
  label: string
  /** Raw 32-byte Ed25519 public key, standard base64: what is registered with the server. */
  publicKeyBase64: string
  createdAt: string
  backupExportedAt: string | null
  /** Whether exportBackup can still be used (only in the page that created the key). */
  backupAvailable: boolean
}

export type SigningKeyErrorCode = 'unsupported' | 'not-found' | 'invalid-label' | 'backup-unavailable'
export class SigningKeyError extends Error {
  constructor (readonly code: SigningKeyErrorCode, message: string) {
    super(message)
    this.name = 'SigningKeyError'
  }
}

export const MAX_LABEL_LENGTH = 200
const ED25519 = { name: 'Ed25519' } as const
const subtle = () => globalThis.crypto.subtle

function checkLabel (label: string): string {
  const l = typeof label === 'string' ? label.trim() : ''
  if (l === '' || l.length > MAX_LABEL_LENGTH) {
    throw new SigningKeyError('invalid-label', `A key needs a name of 1 to ${MAX_LABEL_LENGTH} characters.`)
  }
  // The label goes into the backup's authenticated header, which is canonical JSON.
  try { canonicalJson(l) } catch (e) {
    if (e instanceof CanonicalJsonError) throw new SigningKeyError('invalid-label', 'The key name contains an invalid character.')
    throw e
  }
  return l
}

export class SigningKeys {
  // PKCS#8 bytes of keys created by this page, kept only in memory until forgotten (see above).
  private readonly backupMaterial = new Map<string, Uint8Array>()

  constructor (private readonly store: KeyStore) {}

  private info (r: KeyRecord): SigningKeyInfo {
    return {
      id: r.id,
      label: r.label,
      publicKeyBase64: r.publicKeyBase64,
      createdAt: r.createdAt,
      backupExportedAt: r.backupExportedAt,
      backupAvailable: this.backupMaterial.has(r.id)
    }
  }

  private async record (keyId: string): Promise<KeyRecord> {
    const r = await this.store.get(keyId)
    if (!r) throw new SigningKeyError('not-found', `No signing key ${keyId} in this browser.`)
    return r
  }

  /** Creates and stores a new key pair; its backup can then be exported from this page. */
  async createKey (label: string): Promise<SigningKeyInfo> {
    const name = checkLabel(label)
    let pair: CryptoKeyPair
    try {
      // Extractable only for the one PKCS#8 export below.
      pair = await subtle().generateKey(ED25519, true, ['sign', 'verify']) as CryptoKeyPair
    } catch (e) {
      throw new SigningKeyError('unsupported', `This browser cannot create Ed25519 keys (${(e as Error).message}); use a current Chromium, Firefox or Safari.`)
    }
    const raw = new Uint8Array(await subtle().exportKey('raw', pair.publicKey))
    const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey))
    const privateKey = await subtle().importKey('pkcs8', buf(pkcs8), ED25519, false, ['sign'])
    const record: KeyRecord = {
      id: await fingerprint(raw),
      label: name,
      publicKeyBase64: toBase64(raw),
      createdAt: new Date().toISOString(),
      privateKey,
      backupExportedAt: null
    }
    await this.store.put(record)
    this.backupMaterial.set(record.id, pkcs8)
    return this.info(record)
  }

  /** Every key in this browser, oldest first. */
  async listKeys (): Promise<SigningKeyInfo[]> {
    return (await this.store.all()).map(r => this.info(r))
  }

  async getKey (keyId: string): Promise<SigningKeyInfo | null> {
    const r = await this.store.get(keyId)
    return r ? this.info(r) : null
  }

  /** Detached Ed25519 signature (64 bytes, standard base64) of exactly `bytes`. */
  async sign (keyId: string, bytes: Uint8Array): Promise<string> {
    const r = await this.record(keyId)
    return toBase64(new Uint8Array(await subtle().sign(ED25519, r.privateKey, buf(bytes))))
  }

  /**
   * The encrypted backup file (JSON, "accord-key-backup-v1") of a key created by this page.
   * Throws SigningKeyError 'backup-unavailable' once the PKCS#8 bytes are gone (reload, or
   * forgetBackupMaterial), BackupError 'weak-passphrase' for a passphrase under 8 characters.
   */
  async exportBackup (keyId: string, passphrase: string): Promise<Blob> {
    const r = await this.record(keyId)
    const pkcs8 = this.backupMaterial.get(keyId)
    if (!pkcs8) {
      throw new SigningKeyError('backup-unavailable',
        'A backup can only be made in the page where the key was created; this browser keeps the private key unreadable. ' +
        'If no backup exists, create a new key and have it approved.')
    }
    const text = await encryptBackup({ id: r.id, label: r.label, createdAt: r.createdAt, publicKeyBase64: r.publicKeyBase64 }, pkcs8, passphrase)
    await this.store.put({ ...r, backupExportedAt: new Date().toISOString() })
    return new Blob([text], { type: 'application/json' })
  }

  /** Wipes the in-memory PKCS#8 bytes of a key: no further backup can be made of it. */
  forgetBackupMaterial (keyId: string): void {
    this.backupMaterial.get(keyId)?.fill(0)
    this.backupMaterial.delete(keyId)
  }

  /**
   * Restores a key from its backup file (a File/Blob or its text). Throws BackupError
   * 'wrong-passphrase' or 'bad-backup'. A key already present is left as it is and returned.
   */
  async importBackup (file: Blob | string, passphrase: string): Promise<SigningKeyInfo> {
    const text = typeof file === 'string' ? file : await file.text()
    const { meta, pkcs8 } = await decryptBackup(text, passphrase)
    try {
      const existing = await this.store.get(meta.id)
      if (existing) return this.info(existing)
      const privateKey = await subtle().importKey('pkcs8', buf(pkcs8), ED25519, false, ['sign'])
      const record: KeyRecord = {
        id: meta.id,
        label: meta.label,
        publicKeyBase64: meta.publicKeyBase64,
        createdAt: meta.createdAt,
        privateKey,
        // The file just opened is a backup of this key.
        backupExportedAt: new Date().toISOString()
      }
      await this.store.put(record)
      return this.info(record)
    } finally {
      pkcs8.fill(0)
    }
  }

  /** Removes a key from this browser (without its backup file it is gone for good). */
  async deleteKey (keyId: string): Promise<void> {
    await this.record(keyId)
    this.forgetBackupMaterial(keyId)
    await this.store.delete(keyId)
  }
}

/** Whether `signatureBase64` is a valid Ed25519 signature of `bytes` by the raw public key. */
export async function verifySignature (publicKeyBase64: string, bytes: Uint8Array, signatureBase64: string): Promise<boolean> {
  const pub = fromBase64(publicKeyBase64)
  const sig = fromBase64(signatureBase64)
  if (!pub || pub.length !== 32 || !sig || sig.length !== 64) return false
  try {
    const key = await subtle().importKey('raw', buf(pub), ED25519, true, ['verify'])
    return await subtle().verify(ED25519, key, buf(sig), buf(bytes))
  } catch {
    return false
  }
}

/** A file name for the backup download, e.g. "accord-key-3f2a…-backup.json". */
export const backupFileName = (keyId: string) => `accord-key-${keyId}-backup.json`

// The browser's keys, in IndexedDB; opened on first use.
let browserKeys: SigningKeys | null = null
const keys = () => (browserKeys ??= new SigningKeys(new IndexedDbKeyStore()))

export const createKey = (label: string) => keys().createKey(label)
export const listKeys = () => keys().listKeys()
export const getKey = (keyId: string) => keys().getKey(keyId)
export const sign = (keyId: string, bytes: Uint8Array) => keys().sign(keyId, bytes)
export const exportBackup = (keyId: string, passphrase: string) => keys().exportBackup(keyId, passphrase)
export const forgetBackupMaterial = (keyId: string) => keys().forgetBackupMaterial(keyId)
export const importBackup = (file: Blob | string, passphrase: string) => keys().importBackup(file, passphrase)
export const deleteKey = (keyId: string) => keys().deleteKey(keyId)
