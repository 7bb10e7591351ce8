// The encrypted backup file of a signing key ("accord-key-backup-v1"), with WebCrypto only.
//
// The private key never leaves the browser except in this file, encrypted under a passphrase
// the signatory chooses. The file is JSON (pretty-printed, readable), e.g.
//   { "format": "accord-key-backup-v1", "id": "<fingerprint>", "label": "…",
//     "createdAt": "2026-12-03T17:20:00.000Z", "algorithm": "Ed25519",
//     "publicKey": "<base64 raw 32 bytes>",
//     "kdf": { "name": "PBKDF2", "hash": "SHA-256", "iterations": 600000,
//              "salt": "<base64 16 bytes>", "check": "<base64 32 bytes>" },
//     "cipher": { "name": "AES-GCM", "length": 256, "iv": "<base64 12 bytes>" },
//     "ciphertext": "<base64 AES-GCM(PKCS#8 private key) with its 16-byte tag>" }
//
// Key derivation: master = PBKDF2-HMAC-SHA256(NFC(passphrase), salt, iterations, 32 bytes)
// (600,000 iterations: OWASP's current figure for PBKDF2-SHA256); then HKDF-SHA256 of the master
// with an empty salt and two labels gives the AES-256-GCM key ("accord-key-backup-v1 encryption")
// and the `check` value ("accord-key-backup-v1 passphrase check").
// - `check` lets a wrong passphrase be told apart from a damaged file. It gives a guesser
//   nothing the GCM tag would not: testing a guess costs the same PBKDF2 run either way.
// - Everything but the ciphertext (the header) is authenticated as GCM additional data, as its
//   RFC 8785 canonical JSON bytes: changing the public key, id, label, date or parameters makes
//   decryption fail. The id must also be the fingerprint of the public key, and the decrypted
//   private key must sign for that public key, or the file is refused.
// Limitation: a file whose salt, iterations or check were altered reads as "wrong passphrase"
// (the derived check no longer matches), which is still a refusal.
import { canonicalJsonBytes } from './canonical-json'

export const BACKUP_FORMAT = 'accord-key-backup-v1'
export const BACKUP_ITERATIONS = 600_000
/** Files asking for more are refused: they would freeze the tab (a hostile file could try). */
export const MAX_BACKUP_ITERATIONS = 10_000_000
export const MIN_PASSPHRASE_LENGTH = 8

export interface BackupHeader {
  format: typeof BACKUP_FORMAT
  id: string
  label: string
  createdAt: string
  algorithm: 'Ed25519'
  publicKey: string
  kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: number, salt: string, check: string }
  cipher: { name: 'AES-GCM', length: 256, iv: string }
}
export interface BackupFile extends BackupHeader { ciphertext: string }

/** What the key's owner keeps apart from the private key. */
export interface BackupMeta { id: string, label: string, createdAt: string, publicKeyBase64: string }

export type BackupErrorCode = 'wrong-passphrase' | 'bad-backup' | 'weak-passphrase'
export class BackupError extends Error {
  constructor (readonly code: BackupErrorCode, message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

const subtle = () => globalThis.crypto.subtle
// WebCrypto wants ArrayBuffer-backed views; a fresh copy guarantees one.
export const buf = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

export function toBase64 (bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
/** Strict standard base64 (padded, no whitespace); null when `text` is not that. */
export function fromBase64 (text: string): Uint8Array | null {
  if (typeof text !== 'string' || !BASE64.test(text)) return null
  const s = atob(text)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

export const toHex = (bytes: Uint8Array) => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

/** Key id: hex of the first 16 bytes of SHA-256 of the raw 32-byte public key. */
export async function fingerprint (rawPublicKey: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', buf(rawPublicKey)))
  return toHex(digest.subarray(0, 16))
}

interface Derived { aesKey: CryptoKey, check: Uint8Array }

async function derive (passphrase: string, salt: Uint8Array, iterations: number): Promise<Derived> {
  // NFC: the same passphrase typed on another system (composed or decomposed accents) must match.
  const secret = new TextEncoder().encode(passphrase.normalize('NFC'))
  const pbkdf2 = await subtle().importKey('raw', buf(secret), 'PBKDF2', false, ['deriveBits'])
  const master = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations }, pbkdf2, 256)
  const hkdf = await subtle().importKey('raw', master, 'HKDF', false, ['deriveBits', 'deriveKey'])
  const info = (what: string) => buf(new TextEncoder().encode(`${BACKUP_FORMAT} ${what}`))
  const aesKey = await subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: info('encryption') }, hkdf,
    { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  const check = new Uint8Array(await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: info('passphrase check') }, hkdf, 256))
  return { aesKey, check }
}

const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n))

/** The backup file's text for a PKCS#8 Ed25519 private key. */
export async function encryptBackup (meta: BackupMeta, pkcs8: Uint8Array, passphrase: string,
  iterations = BACKUP_ITERATIONS): Promise<string> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new BackupError('weak-passphrase', `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`)
  }
  const salt = random(16)
  const iv = random(12)
  const { aesKey, check } = await derive(passphrase, salt, iterations)
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    id: meta.id,
    label: meta.label,
    createdAt: meta.createdAt,
    algorithm: 'Ed25519',
    publicKey: meta.publicKeyBase64,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt), check: toBase64(check) },
    cipher: { name: 'AES-GCM', length: 256, iv: toBase64(iv) }
  }
  const ciphertext = new Uint8Array(await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: buf(canonicalJsonBytes(header)), tagLength: 128 }, aesKey, buf(pkcs8)))
  const file: BackupFile = { ...header, ciphertext: toBase64(ciphertext) }
  return JSON.stringify(file, null, 2) + '\n'
}

const bad = (why: string) => new BackupError('bad-backup', `This is not a valid Accord key backup: ${why}.`)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function bytesField (value: unknown, what: string, length?: number): Uint8Array {
  const bytes = typeof value === 'string' ? fromBase64(value) : null
  if (bytes === null || (length !== undefined && bytes.length !== length) || bytes.length === 0) {
    throw bad(`${what} is not ${length ?? 'non-empty'}${length ? ' bytes of' : ''} base64`)
  }
  return bytes
}

/** Checks the shape of a parsed file; the header returned holds exactly the authenticated fields. */
function parseBackup (text: string): { header: BackupHeader, salt: Uint8Array, check: Uint8Array, iv: Uint8Array, publicKey: Uint8Array, ciphertext: Uint8Array } {
  let f: unknown
  try { f = JSON.parse(text) } catch { throw bad('the file is not JSON') }
  if (!isObject(f) || f.format !== BACKUP_FORMAT) throw bad(`the format is not "${BACKUP_FORMAT}"`)
  if (f.algorithm !== 'Ed25519') throw bad('the key is not an Ed25519 key')
  const { kdf, cipher } = f
  if (!isObject(kdf) || kdf.name !== 'PBKDF2' || kdf.hash !== 'SHA-256') throw bad('the key derivation is not PBKDF2-SHA256')
  const iterations = kdf.iterations
  if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < BACKUP_ITERATIONS || iterations > MAX_BACKUP_ITERATIONS) {
    throw bad(`the PBKDF2 iteration count is not between ${BACKUP_ITERATIONS} and ${MAX_BACKUP_ITERATIONS}`)
  }
  if (!isObject(cipher) || cipher.name !== 'AES-GCM' || cipher.length !== 256) throw bad('the cipher is not AES-256-GCM')
  for (const field of ['id', 'label', 'createdAt'] as const) {
    if (typeof f[field] !== 'string') throw bad(`${field} is missing`)
  }
  const salt = bytesField(kdf.salt, 'the salt', 16)
  const check = bytesField(kdf.check, 'the passphrase check', 32)
  const iv = bytesField(cipher.iv, 'the IV', 12)
  const publicKey = bytesField(f.publicKey, 'the public key', 32)
  const ciphertext = bytesField(f.ciphertext, 'the ciphertext')
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    id: f.id as string,
    label: f.label as string,
    createdAt: f.createdAt as string,
    algorithm: 'Ed25519',
    publicKey: f.publicKey as string,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: kdf.salt as string, check: kdf.check as string },
    cipher: { name: 'AES-GCM', length: 256, iv: cipher.iv as string }
  }
  return { header, salt, check, iv, publicKey, ciphertext }
}

/** Constant-time comparison (the check is not secret, but there is no reason to leak timing). */
function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}

/**
 * Opens a backup file: its metadata and the PKCS#8 private key, checked to belong to its public
 * key. Throws BackupError 'wrong-passphrase' or 'bad-backup' (malformed, altered, inconsistent).
 */
export async function decryptBackup (text: string, passphrase: string): Promise<{ meta: BackupMeta, pkcs8: Uint8Array }> {
  const { header, salt, check, iv, publicKey, ciphertext } = parseBackup(text)
  if (header.id !== await fingerprint(publicKey)) throw bad('the key id is not the fingerprint of its public key')
  const derived = await derive(passphrase, salt, header.kdf.iterations)
  if (!sameBytes(derived.check, check)) {
    throw new BackupError('wrong-passphrase', 'Wrong passphrase: this backup cannot be opened with it.')
  }
  let pkcs8: Uint8Array
  try {
    pkcs8 = new Uint8Array(await subtle().decrypt(
      { name: 'AES-GCM', iv: buf(iv), additionalData: buf(canonicalJsonBytes(header)), tagLength: 128 }, derived.aesKey, buf(ciphertext)))
  } catch {
    throw bad('the file was altered or damaged (the passphrase is right, but the encrypted key does not authenticate)')
  }
  await checkPair(pkcs8, publicKey)
  return { meta: { id: header.id, label: header.label, createdAt: header.createdAt, publicKeyBase64: header.publicKey }, pkcs8 }
}

/** Refuses a private key that is not Ed25519 or does not sign for `publicKey`. */
async function checkPair (pkcs8: Uint8Array, publicKey: Uint8Array): Promise<void> {
  let priv: CryptoKey
  let pub: CryptoKey
  try {
    priv = await subtle().importKey('pkcs8', buf(pkcs8), { name: 'Ed25519' }, false, ['sign'])
    pub = await subtle().importKey('raw', buf(publicKey), { name: 'Ed25519' }, true, ['verify'])
  } catch {
    throw bad('the private key is not an Ed25519 key')
  }
  const probe = new TextEncoder().encode(`${BACKUP_FORMAT} pair check`)
  const sig = await subtle().sign({ name: 'Ed25519' }, priv, probe)
  if (!await subtle().verify({ name: 'Ed25519' }, pub, sig, probe)) throw bad('the private key does not belong to the public key')
}
