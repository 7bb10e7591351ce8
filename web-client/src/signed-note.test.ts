// Signed notes and checkpoints: Go's documented example note, the checkpoint example of
// server/signon/LOG.md, and notes signed here with node:crypto keys (wrong key, changed text,
// witnesses, malformed notes).
import { describe, it, expect } from 'vitest'
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { NoteError, noteKeyHash, openCheckpoint, openNote, parseCheckpoint, parseNote, parseVerifierKey } from './signed-note'
import { toHex } from './key-backup'

const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
const GO_NOTE = 'If you think cryptography is the answer to your problem,\nthen you don\'t know what your problem is.\n\n' +
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n'
const LOG_VERIFIER = 'accord.example.org/log+83070284+Aec06mwrYlfecjVeRyqgWkxIfmtGPAKe0wbfLwG1Y2tY'
const LOG_CHECKPOINT = 'accord.example.org/log\n3\nARgD/LkhdUGV5swMybkgqpNdq1immIie1iqqL4/OqCg=\nTimestamp: 1796000000\n\n' +
  '\u2014 accord.example.org/log gwcChFp8Ou+C1ypkRoAFx5QC6cSqr6jZcWd9QssO+BpnYYdLvZXKcuAvUWUbTZ+6Cs/XRzqTVw5o1pOMhnyuQ2pBEwA=\n'

// A signer made here with node:crypto, written as the log writes its notes.
function newSigner (name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const hash = createHash('sha256').update(Buffer.concat([Buffer.from(name + '\n'), Buffer.from([1]), raw])).digest().subarray(0, 4)
  return {
    verifier: `${name}+${hash.toString('hex')}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`,
    line: (text: string) => `\u2014 ${name} ${Buffer.concat([hash, sign(null, Buffer.from(text), privateKey)]).toString('base64')}\n`,
    sign: (text: string) => `${text}\n\u2014 ${name} ${Buffer.concat([hash, sign(null, Buffer.from(text), privateKey)]).toString('base64')}\n`
  }
}

describe('signed notes', () => {
  it('opens Go\'s example note with its verifier key', async () => {
    const v = await parseVerifierKey(GO_VERIFIER)
    expect(v.name).toBe('PeterNeumann')
    expect(v.keyHash).toBe(0xc74f20a3)
    expect(await noteKeyHash(v.name, v.publicKey)).toBe(0xc74f20a3)
    expect(await openNote(GO_NOTE, v)).toBe(GO_NOTE.slice(0, GO_NOTE.indexOf('\n\n') + 1))
    // One changed letter of the text.
    await expect(openNote(GO_NOTE.replace('cryptography', 'cryptographY'), v)).rejects.toMatchObject({ code: 'bad-signature' })
  })

  it('opens the example checkpoint of LOG.md', async () => {
    const v = await parseVerifierKey(LOG_VERIFIER)
    const cp = await openCheckpoint(LOG_CHECKPOINT, v)
    expect(cp.origin).toBe('accord.example.org/log')
    expect(cp.size).toBe(3)
    expect(toHex(cp.root).startsWith('011803fc')).toBe(true)
    expect(cp.extensions).toEqual(['Timestamp: 1796000000'])
    await expect(openCheckpoint(LOG_CHECKPOINT.replace('\n3\n', '\n4\n'), v)).rejects.toMatchObject({ code: 'bad-signature' })
  })

  it('refuses bad verifier keys', async () => {
    for (const bad of ['', 'a+b', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW']) {
      await expect(parseVerifierKey(bad), bad).rejects.toBeInstanceOf(NoteError)
    }
  })

  it('needs a signature by the key; ignores witnesses; a known bad one rejects', async () => {
    const log = newSigner('log.example/x')
    const witness = newSigner('witness.example')
    const other = newSigner('log.example/x') // same name, another key
    const text = 'log.example/x\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'
    const v = await parseVerifierKey(log.verifier)
    expect(await openNote(log.sign(text), v)).toBe(text)
    expect(await openNote(log.sign(text) + witness.line(text), v)).toBe(text)
    expect((await openCheckpoint(log.sign(text), v)).size).toBe(5)
    await expect(openNote(other.sign(text), v)).rejects.toMatchObject({ code: 'no-signature' })
    await expect(openNote(witness.sign(text), v)).rejects.toMatchObject({ code: 'no-signature' })
    // A signature line of the log's key over another text.
    await expect(openNote(text + '\n' + log.line('another\n'), v)).rejects.toMatchObject({ code: 'bad-signature' })
    // A checkpoint whose origin is not the key's name.
    const foreign = 'other.example/log\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'
    await expect(openCheckpoint(log.sign(foreign), v)).rejects.toMatchObject({ code: 'bad-checkpoint' })
  })

  it('refuses malformed notes and checkpoints', () => {
    expect(() => parseNote('no signatures\n')).toThrow(NoteError)
    expect(() => parseNote('text\n\n— a AAAA\n')).toThrow(NoteError)
    expect(() => parseNote('text\n\n- a AAAAAAAA\n')).toThrow(NoteError)
    expect(() => parseNote('te\u0007xt\n\n— a AAAAAAAA\n')).toThrow(NoteError)
    expect(() => parseCheckpoint('o\n01\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n')).toThrow(NoteError)
    expect(() => parseCheckpoint('o\n1\nAAAA\n')).toThrow(NoteError)
    expect(() => parseCheckpoint('o\n1\n')).toThrow(NoteError)
    expect(parseCheckpoint('o\n0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n').size).toBe(0)
  })
})
