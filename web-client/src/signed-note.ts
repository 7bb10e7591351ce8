// Signed notes (C2SP signed-note, Go's golang.org/x/mod/sumdb/note) and the checkpoints a
// transparency log signs in them (C2SP tlog-checkpoint), verified in the browser with
// WebCrypto Ed25519. server/signon/LOG.md describes the formats; signed_note.h and
// checkpoint.h are the C++ side. Only verification lives here: the browser never signs notes.
//
//   <text, ends in "\n"> "\n" then one line per signature: "— <name> <base64(hash4 || sig)>\n"
//   key hash = first 4 bytes of SHA-256(name || "\n" || 0x01 || public key)
//   verifier key = "<name>+<8 hex hash>+<base64(0x01 || public key)>"
import { fromBase64 } from './key-backup'
import { sha256, equalBytes } from './merkle'
import { verifySignature } from './signing-keys'
import { toBase64 } from './key-backup'

export interface NoteVerifier { name: string, keyHash: number, publicKey: Uint8Array }

export class NoteError extends Error {
  constructor (readonly code: 'bad-key' | 'malformed' | 'no-signature' | 'bad-signature' | 'bad-checkpoint', message: string) {
    super(message)
    this.name = 'NoteError'
  }
}

const ED25519_ALG = 0x01
const validName = (name: string) => name !== '' && !/[\s+]/.test(name)

/** First 4 bytes of SHA-256(name || "\n" || 0x01 || key), as a big-endian number. */
export async function noteKeyHash (name: string, rawPublicKey: Uint8Array): Promise<number> {
  const n = new TextEncoder().encode(name + '\n')
  const b = new Uint8Array(n.length + 1 + rawPublicKey.length)
  b.set(n)
  b[n.length] = ED25519_ALG
  b.set(rawPublicKey, n.length + 1)
  const h = await sha256(b)
  return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0
}

/** Parses "<name>+<hash>+<base64(0x01||key)>"; throws NoteError 'bad-key' if it is not one or its hash is wrong. */
export async function parseVerifierKey (text: string): Promise<NoteVerifier> {
  // The base64 key may itself contain "+": split at the first two only.
  const m = typeof text === 'string' ? text.trim().match(/^([^+]*)\+([^+]*)\+(.*)$/) : null
  const parts = m ? m.slice(1) : []
  if (parts.length !== 3 || !validName(parts[0]) || !/^[0-9a-f]{8}$/.test(parts[1])) throw new NoteError('bad-key', 'not a note verifier key')
  const key = fromBase64(parts[2])
  if (!key || key.length !== 33 || key[0] !== ED25519_ALG) throw new NoteError('bad-key', 'not an Ed25519 note verifier key')
  const publicKey = key.slice(1)
  const keyHash = parseInt(parts[1], 16)
  if (await noteKeyHash(parts[0], publicKey) !== keyHash) throw new NoteError('bad-key', 'the key hash does not match the key')
  return { name: parts[0], keyHash, publicKey }
}

export interface NoteSignature { name: string, keyHash: number, signature: Uint8Array }
export interface ParsedNote { text: string, signatures: NoteSignature[] }

/** Splits a note into its text and signature lines (syntax only). */
export function parseNote (note: string): ParsedNote {
  if (typeof note !== 'string' || !note.endsWith('\n')) throw new NoteError('malformed', 'a note ends with a newline')
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw new NoteError('malformed', 'a note has a blank line before its signatures')
  const text = note.slice(0, split + 1)
  // Control characters other than "\n" are not allowed in the text.
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new NoteError('malformed', 'control character in the note text')
  const lines = note.slice(split + 2, -1).split('\n')
  if (lines.length > 100) throw new NoteError('malformed', 'too many signatures')
  const signatures: NoteSignature[] = []
  for (const line of lines) {
    const m = line.match(/^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/)
    const raw = m ? fromBase64(m[2]) : null
    if (!m || !raw || raw.length < 5 || !validName(m[1])) throw new NoteError('malformed', 'bad signature line')
    signatures.push({ name: m[1], keyHash: ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0, signature: raw.slice(4) })
  }
  return { text, signatures }
}

/**
 * The note's text if it carries a valid signature by `verifier`. A signature line naming the
 * verifier (name and hash) that does not verify rejects the note; other signers (witnesses)
 * are ignored; no signature by the verifier is 'no-signature'.
 */
export async function openNote (note: string, verifier: NoteVerifier): Promise<string> {
  const parsed = parseNote(note)
  let found = false
  for (const s of parsed.signatures) {
    if (s.name !== verifier.name || s.keyHash !== verifier.keyHash) continue
    const ok = s.signature.length === 64 && await verifySignature(toBase64(verifier.publicKey), new TextEncoder().encode(parsed.text), toBase64(s.signature))
    if (!ok) throw new NoteError('bad-signature', `the signature by ${verifier.name} does not verify`)
    found = true
  }
  if (!found) throw new NoteError('no-signature', `no signature by ${verifier.name}`)
  return parsed.text
}

export interface Checkpoint { origin: string, size: number, root: Uint8Array, extensions: string[] }

/** Parses a checkpoint body: origin, decimal size, base64 root, extension lines. */
export function parseCheckpoint (text: string): Checkpoint {
  const lines = text.split('\n')
  // The text ends in "\n": the last element is empty.
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('bad-checkpoint', 'a checkpoint has at least three lines')
  const [origin, sizeText, rootText, ...rest] = lines.slice(0, -1)
  const root = fromBase64(rootText)
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !root || root.length !== 32 || rest.some(l => l === '')) {
    throw new NoteError('bad-checkpoint', 'malformed checkpoint')
  }
  const size = Number(sizeText)
  if (!Number.isSafeInteger(size)) throw new NoteError('bad-checkpoint', 'checkpoint size out of range')
  return { origin, size, root, extensions: rest }
}

/** A checkpoint note opened with the log's key: signature valid and origin = the key's name. */
export async function openCheckpoint (note: string, verifier: NoteVerifier): Promise<Checkpoint> {
  const cp = parseCheckpoint(await openNote(note, verifier))
  if (cp.origin !== verifier.name) throw new NoteError('bad-checkpoint', `checkpoint of ${cp.origin}, key of ${verifier.name}`)
  return cp
}

export const sameRoot = (a: Checkpoint, b: Checkpoint): boolean => a.size === b.size && equalBytes(a.root, b.root)
