// The bundle verifier against bundles built by tests/bundle-fixture.mjs (node:crypto only, an
// implementation independent of the client's): a valid one passes and yields the signatory
// list; each kind of tampering fails and names the check, the problem and the entry.
import { describe, it, expect } from 'vitest'
import { createHash } from 'node:crypto'
import { createSignOn, createLog, jcs, type SignOn } from '../tests/bundle-fixture.mjs'
import { verifyBundle, countSignatories, type VerifyResult } from './bundle-verify'

const CGT = { id: 3, name: 'CGT', country: 'FR' }
const SUR = { id: 4, name: 'Frente Sur', country: 'AR' }
const ATTAC = { id: 5, name: 'Attac', country: '' }

function scenario (): { so: SignOn, endorsementIndex: number, approvalIndex: number } {
  const so = createSignOn()
  const ana = so.signatory(CGT, { name: 'Ana Pérez', title: 'General Secretary' })
  so.noise()
  const bruno = so.signatory(SUR, { name: 'Bruno', title: 'President' })
  const e1 = so.endorse(ana)
  so.noise()
  so.endorse(bruno, { kind: 'adheres-with-reservations', reservations: 'Not paragraph 3.' })
  const carla = so.signatory(ATTAC, { name: 'Carla', title: 'Spokesperson' })
  const e3 = so.endorse(carla)
  so.withdraw(carla, e3, 'changed our mind')
  return { so, endorsementIndex: e1.log_index, approvalIndex: ana.approvalIndex }
}

const failures = (r: VerifyResult) => r.findings.filter(f => !f.ok).map(f => `${f.check}:${f.problem}${f.index !== undefined ? '@' + f.index : ''}`)
const clone = (x: unknown) => JSON.parse(JSON.stringify(x))

describe('verifyBundle', () => {
  it('a valid bundle verifies and gives the signatories', async () => {
    const { so } = scenario()
    const r = await verifyBundle(so.bundle(), { manifestSha256: so.manifestSha, listed: so.endorsements })
    expect(failures(r)).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.manifestSha256).toBe(so.manifestSha)
    expect(r.logKey).toBe(so.log.verifierKey)
    expect(r.statement).toEqual({ slug: 'paris-2026', title: 'Paris declaration' })
    expect(r.signatories.map(s => [s.organization.name, s.signatory.name, s.kind, s.withdrawn])).toEqual([
      ['CGT', 'Ana Pérez', 'adheres', false],
      ['Frente Sur', 'Bruno', 'adheres-with-reservations', false],
      ['Attac', 'Carla', 'adheres', true]])
    expect(r.signatories[1].reservations).toBe('Not paragraph 3.')
    expect(countSignatories(r.signatories)).toEqual({ signed: 2, withReservations: 1, withdrawn: 1 })
    // Every kind of check ran.
    const ran = new Set(r.findings.map(f => f.check))
    for (const c of ['checkpoint', 'instance', 'log-root', 'entry-leaf', 'entry-proof', 'entry-canonical', 'manifest', 'text', 'endorsement', 'key', 'withdrawal', 'duplicate', 'listed']) expect(ran.has(c as never), c).toBe(true)
  })

  it('a changed byte of the text fails the text check', async () => {
    const b = scenario().so.bundle()
    b.texts.en = b.texts.en.replace('peace', 'peaces')
    const r = await verifyBundle(b)
    expect(r.ok).toBe(false)
    expect(failures(r)).toEqual(['text:hash-mismatch'])
  })

  it('a changed signature fails that endorsement, which leaves the list', async () => {
    const { so, endorsementIndex } = scenario()
    // Re-log the entry with another signature so that only the signature is wrong.
    const b = so.bundle()
    const entry = b.entries.find((e: { index: number }) => e.index === endorsementIndex)
    const body = JSON.parse(entry.body)
    const sig = Buffer.from(body.signature, 'base64'); sig[10] ^= 1
    body.signature = sig.toString('base64')
    entry.body = jcs(body)
    const r = await verifyBundle(b)
    expect(failures(r)).toContain(`endorsement:bad-signature@${endorsementIndex}`)
    // The body no longer matches the log either.
    expect(failures(r)).toContain('log-root:root-mismatch')
    expect(failures(r)).toContain(`entry-proof:bad-proof@${endorsementIndex}`)
    expect(r.signatories.map(s => s.organization.name)).not.toContain('CGT')
  })

  it('a signature that does not match, even when correctly logged, is named', async () => {
    const so = createSignOn()
    const ana = so.signatory(CGT, { name: 'Ana', title: 'SG' })
    const e = so.endorse(ana)
    // The log itself holds a bad signature (a dishonest server logged it).
    const body = JSON.parse(so.log.bodies[e.log_index])
    body.signature = Buffer.alloc(64, 7).toString('base64')
    so.log.bodies[e.log_index] = jcs(body)
    const r = await verifyBundle(so.bundle())
    expect(failures(r)).toEqual([`endorsement:bad-signature@${e.log_index}`])
  })

  it('a changed entry, changed order and a dropped entry are each named', async () => {
    const { so, endorsementIndex, approvalIndex } = scenario()
    const changed = so.bundle()
    const entry = changed.entries.find((e: { index: number }) => e.index === endorsementIndex)
    entry.body = entry.body.replace('General Secretary', 'General Secretar')
    const r1 = await verifyBundle(changed)
    expect(failures(r1)).toEqual(expect.arrayContaining(['log-root:root-mismatch', `entry-proof:bad-proof@${endorsementIndex}`, `endorsement:bad-signature@${endorsementIndex}`]))

    const reordered = so.bundle()
    ;[reordered.entries[1], reordered.entries[2]] = [reordered.entries[2], reordered.entries[1]]
    expect(failures(await verifyBundle(reordered))).toEqual(['log-root:root-mismatch', 'entry-order:out-of-order'])

    // Swapping two bodies keeps the order of indices but neither is proven where it is listed.
    const swapped = so.bundle()
    ;[swapped.entries[1].body, swapped.entries[2].body] = [swapped.entries[2].body, swapped.entries[1].body]
    expect(failures(await verifyBundle(swapped))).toEqual(expect.arrayContaining(['log-root:root-mismatch', `entry-proof:bad-proof@${swapped.entries[1].index}`]))

    // Dropping the key approval: named, and the endorsement's key is not approved in the bundle.
    const noApproval = so.bundle()
    noApproval.entries = noApproval.entries.filter((e: { index: number }) => e.index !== approvalIndex)
    expect(failures(await verifyBundle(noApproval))).toEqual(expect.arrayContaining([`entry-leaf:missing@${approvalIndex}`, `key:not-approved@${endorsementIndex}`]))

    // Dropping an endorsement: named by its index even when nothing else refers to it.
    const noEndorsement = so.bundle()
    noEndorsement.entries = noEndorsement.entries.filter((e: { index: number }) => e.index !== endorsementIndex)
    expect(failures(await verifyBundle(noEndorsement))).toEqual(['log-root:size-mismatch', 'log-root:root-mismatch', `entry-leaf:missing@${endorsementIndex}`])
    expect(failures(await verifyBundle(noEndorsement, { listed: so.endorsements }))).toContain(`listed:not-in-bundle@${endorsementIndex}`)

    // Dropping the last entry and lowering log.size: the signed checkpoint still has it.
    const shorter = so.bundle()
    shorter.entries.pop()
    shorter.log.size -= 1
    expect(failures(await verifyBundle(shorter))).toEqual(expect.arrayContaining(['log-root:size-mismatch', `entry-leaf:missing@${shorter.log.size}`]))

    // A byte of another statement's entry (no proof of its own): the root no longer matches.
    const foreign = so.bundle()
    foreign.entries[0].body = foreign.entries[0].body.replace('other', 'otheR')
    expect(failures(await verifyBundle(foreign))).toEqual(['log-root:root-mismatch'])
  })

  it('another key, a changed checkpoint or a manifest naming another instance fail', async () => {
    const { so } = scenario()
    const other = createLog(so.log.origin)
    const b1 = so.bundle()
    b1.log.checkpoint = b1.log.checkpoint.replace(/\n\n[\s\S]*$/, '\n\n' + other.signNote('x\n').split('\n\n')[1])
    expect(failures(await verifyBundle(b1))).toContain('checkpoint:no-signature')
    // The whole log re-signed by an impostor who does not hold the instance key of the manifest.
    const b2 = so.bundle()
    b2.log.key = other.verifierKey
    b2.log.checkpoint = other.signNote(b2.log.checkpoint.split('\n\n')[0] + '\n')
    expect(failures(await verifyBundle(b2))).toContain(`instance:key-mismatch@${so.manifestIndex}`)
    // Pinned to the real key, the impostor's checkpoint does not verify at all.
    expect(failures(await verifyBundle(b2, { pinnedKey: so.log.verifierKey }))).toContain('checkpoint:no-signature')
    const b3 = so.bundle()
    b3.log.checkpoint = b3.log.checkpoint.replace(/\n(\d+)\n/, (_m: string, n: string) => `\n${Number(n) + 1}\n`)
    expect(failures(await verifyBundle(b3))).toContain('checkpoint:bad-signature')
    expect((await verifyBundle({ format: 'nope' })).findings).toEqual([{ check: 'format', ok: false, problem: 'malformed' }])
  })

  it('revoked and other organizations\' keys, stale manifests and duplicates are flagged', async () => {
    const so = createSignOn()
    const ana = so.signatory(CGT, { name: 'Ana', title: 'SG' })
    so.revoke(ana)
    const late = so.endorse(ana)
    const bruno = so.signatory(SUR, { name: 'Bruno', title: 'P' })
    // Bruno's key signs for CGT.
    bruno.organization = CGT
    const foreign = so.endorse(bruno)
    bruno.organization = SUR
    so.endorse(bruno)
    const twice = so.endorse(bruno)
    const r = await verifyBundle(so.bundle())
    expect(failures(r)).toEqual([`key:revoked@${late.log_index}`, `key:wrong-organization@${foreign.log_index}`, `duplicate:duplicate@${twice.log_index}`])
  })

  it('endorsements of another statement are only hashed; one of an earlier manifest logged later is stale', async () => {
    const { so } = scenario()
    const other = createSignOn({ log: so.log, slug: 'other-2026' }) // same log, statement id 12 too
    const dan = so.signatory({ id: 8, name: 'Other org', country: 'IT' }, { name: 'Dan', title: 'T' }) // key ids are per log
    other.endorse(dan)
    // `other` has the same statement id: its manifest is a later manifest of ours.
    const r = await verifyBundle(other.bundle())
    expect(failures(r)).toEqual([])
    expect(r.signatories.map(s => s.organization.name)).toEqual(['Other org'])
    // Ana endorses the earlier manifest after the later one was published: stale.
    const stale = so.endorse(so.signatory({ id: 6, name: 'Late', country: '' }, { name: 'L', title: 'T' }))
    expect(failures(await verifyBundle(other.bundle()))).toContain(`endorsement:stale-manifest@${stale.log_index}`)
    expect(failures(await verifyBundle(so.bundle()))).toContain(`manifest:unexpected@${other.manifestIndex}`)
  })

  it('a replayed endorsement and one with members the contract does not have are named', async () => {
    const so = createSignOn()
    const ana = so.signatory(CGT, { name: 'Ana', title: 'SG' })
    const e = so.endorse(ana)
    const replay = so.include(JSON.parse(so.log.bodies[e.log_index]))
    const extra = { ...JSON.parse(e.canonical), nonce: Buffer.alloc(16, 9).toString('base64'), note: 'not in the contract' }
    const text = jcs(extra)
    const forged = so.include({
      kind: 'endorsement', endorsement: extra, endorsement_sha256: createHash('sha256').update(text).digest('hex'),
      key_id: ana.id, public_key: ana.publicKey, signature: Buffer.from(ana.sign(Buffer.from(text))).toString('base64')
    })
    const r = await verifyBundle(so.bundle())
    expect(failures(r)).toEqual([`endorsement:replayed@${replay}`, `endorsement:malformed@${forged}`])
    expect(r.signatories.length).toBe(1)
  })

  it('the log must extend the checkpoint verified before', async () => {
    const { so } = scenario()
    const before = so.bundle()
    const first = await verifyBundle(before)
    so.endorse(so.signatory({ id: 9, name: 'New', country: 'ES' }, { name: 'N', title: 'T' }))
    const after = so.bundle()
    const r = await verifyBundle(after, { previousCheckpoint: first.checkpoint!.note })
    expect(failures(r)).toEqual([])
    expect(r.findings).toContainEqual({ check: 'previous', ok: true, subject: String(before.log.size) })
    // A log rewritten after the earlier checkpoint: change an old entry and re-sign everything.
    const body = JSON.parse(so.log.bodies[0]); body.manifest_sha256 = '00'.repeat(32)
    so.log.bodies[0] = jcs(body)
    const rewritten = await verifyBundle(so.bundle(), { previousCheckpoint: first.checkpoint!.note })
    expect(failures(rewritten)).toEqual(['previous:not-extension'])
  })
})
