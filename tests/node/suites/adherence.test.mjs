// Open adherence end to end against a real accordd (issue 8; server/src/api_adherence.cc): the
// secretariat makes a statement final and opens it for signature; an organization that is not
// on the instance fetches a proof-of-work challenge from the public page, solves it here the way
// a browser would (SHA-256 of challenge ":" nonce with enough leading zero bits; the instance
// runs with a low difficulty so that this takes milliseconds), waits the few seconds a person
// would take and asks to adhere. The secretariat approves; the signatory accepts the invitation
// and the new organization is a participant that may sign and do nothing else. On the way: the
// statement not open yet, a filled honeypot, a challenge sent too soon, a challenge used twice,
// and a rejection. Every answer is checked against proto/openapi.yaml (Agent).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { startAccordd } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, expectStatus } from '../lib/openapi.mjs'

const DIFFICULTY = 8

function leadingZeroBits (bytes) {
  let bits = 0
  for (const b of bytes) {
    if (b === 0) { bits += 8; continue }
    return bits + Math.clz32(b) - 24
  }
  return bits
}

// The first decimal nonce that solves the challenge.
function solve (challenge, difficulty) {
  for (let i = 0; ; i++) {
    const digest = createHash('sha256').update(`${challenge}:${i}`).digest()
    if (leadingZeroBits(digest) >= difficulty) return String(i)
  }
}

function form (shortName, email) {
  return {
    organization: { name: `${shortName} federation`, short_name: shortName, country: 'ZA', kind: 'union', website: 'https://example.org' },
    signatory: { name: 'Thandi Mokoena', title: 'General Secretary', email },
    message: 'We join the call.',
    website_confirm: ''
  }
}

test('open adherence: a public request, solved challenge, approval, invitation, a signing participant', async (t) => {
  const server = await startAccordd({ args: ['--limit', `adherence_difficulty_bits=${DIFFICULTY}`, '--limit', 'adherence_requests_per_ip=50'] })
  bootstrapInstance(server.dataDir)
  try {
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const anon = new Agent(server) // the public page: an Origin, no session
    const base = '/api/v1/statements/paris'
    expectStatus(await ops.post('/api/v1/statements', { slug: 'paris', title: 'Paris declaration' }), 201)

    // A challenge solved and sent no sooner than the server allows.
    const challenge = async () => {
      const issued = expectStatus(await anon.get(base + '/adherence-challenge'), 200).body
      assert.equal(issued.difficulty, DIFFICULTY)
      return { ...issued, nonce: solve(issued.challenge, issued.difficulty) }
    }
    const waitUntil = async (time) => {
      const ms = Date.parse(time) - Date.now()
      if (ms > 0) await sleep(ms + 1100) // the server counts whole seconds
    }

    await t.test('nothing is taken before the statement is final and open for signature', async () => {
      expectStatus(await anon.get(base + '/adherence-challenge'), 409, 'not-open-for-signature')
      expectStatus(await ops.patch(base, { open_for_signature: true }), 200)
      expectStatus(await anon.get(base + '/adherence-challenge'), 409, 'not-open-for-signature')
      const final = expectStatus(await ops.patch(base, { phase: 'final' }), 200).body
      assert.equal(final.phase, 'final')
      assert.equal(final.open_for_signature, true)
    })

    let requestId = 0
    await t.test('a request with a solved challenge is accepted once, not too early', async () => {
      const c = await challenge()
      const body = { ...form('NUMSA', 'thandi@numsa.example.org'), challenge: c.challenge, nonce: c.nonce }
      // Sent at once: a person takes longer than that.
      expectStatus(await anon.post(base + '/adherence-requests', body), 400, 'challenge-too-early')
      await waitUntil(c.not_before)
      const accepted = expectStatus(await anon.post(base + '/adherence-requests', body), 202).body
      assert.equal(accepted.state, 'pending')
      requestId = accepted.id
      const again = { ...form('OTHER', 'other@example.org'), challenge: c.challenge, nonce: c.nonce }
      expectStatus(await anon.post(base + '/adherence-requests', again), 409, 'challenge-used')
    })

    await t.test('a filled honeypot is refused without saying why, and nothing is stored', async () => {
      const c = await challenge()
      await waitUntil(c.not_before)
      const bot = { ...form('BOT', 'bot@example.org'), website_confirm: 'https://spam.example', challenge: c.challenge, nonce: c.nonce }
      const refused = expectStatus(await anon.post(base + '/adherence-requests', bot), 400, 'request-refused')
      assert.doesNotMatch(refused.text, /website_confirm|honeypot/)
      const listed = expectStatus(await ops.get(base + '/adherence-requests'), 200).body.items
      assert.deepEqual(listed.map(r => r.organization.short_name), ['NUMSA'])
      assert.equal(listed[0].existing_organization, null)
    })

    await t.test('the secretariat approves; the signatory accepts and may sign for the new organization only', async () => {
      const approved = expectStatus(await ops.post(`${base}/adherence-requests/${requestId}/approve`), 200).body
      assert.equal(approved.request.state, 'approved')
      assert.equal(approved.organization_created, true)
      assert.equal(approved.organization.short_name, 'NUMSA')
      assert.equal(approved.organization.country, 'ZA')
      assert.equal(approved.invitation.role, 'signatory')
      assert.equal(approved.invitation.emailed, false) // no mail configured: the link is returned
      const org = approved.organization.id
      expectStatus(await ops.post(`${base}/adherence-requests/${requestId}/approve`), 409, 'already-decided')

      const token = approved.invitation.link.slice(approved.invitation.link.indexOf('#') + 1)
      expectStatus(await anon.post('/api/v1/invitations/accept', { token, password: 'a signatory password' }), 201)
      const thandi = new Agent(server)
      await thandi.signIn('thandi@numsa.example.org', 'a signatory password')
      const statement = expectStatus(await thandi.get(base), 200).body
      assert.deepEqual(statement.participants.find(p => p.organization_id === org),
        { organization_id: org, convener: false, edit: false, amend: false, sign: true })
      assert.deepEqual(statement.rights['endorse-for'], [org])
      assert.equal(statement.rights['manage-participants'], false)
      expectStatus(await thandi.get(base + '/adherence-requests'), 403, 'forbidden')
    })

    await t.test('a rejection records its reason', async () => {
      const c = await challenge()
      await waitUntil(c.not_before)
      const body = { ...form('FAKE', 'someone@example.org'), challenge: c.challenge, nonce: c.nonce }
      const id = expectStatus(await anon.post(base + '/adherence-requests', body), 202).body.id
      const rejected = expectStatus(await ops.post(`${base}/adherence-requests/${id}/reject`, { reason: 'not an organization' }), 200).body
      assert.equal(rejected.state, 'rejected')
      assert.equal(rejected.reason, 'not an organization')
      const pending = expectStatus(await ops.get(base + '/adherence-requests?state=pending'), 200).body.items
      assert.deepEqual(pending, [])
    })

    await t.test('closing the statement stops new requests', async () => {
      const closed = expectStatus(await ops.patch(base, { open_for_signature: false }), 200).body
      assert.equal(closed.open_for_signature, false)
      expectStatus(await anon.get(base + '/adherence-challenge'), 409, 'not-open-for-signature')
    })
  } finally {
    await server.stop()
  }
})
