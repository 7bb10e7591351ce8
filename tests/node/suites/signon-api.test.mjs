// Sign-on over the REST API of a real accordd (server/src/api_signing_keys.cc,
// api_endorsements.cc, api_manifest.cc; GoogleTest twins api_*_test.cc), done the way a
// signatory's browser does it but with node:crypto alone: an Ed25519 key pair made here, its
// public half registered and approved by the secretariat, the statement taken to `final`, the
// endorsement's RFC 8785 bytes signed and posted. Then, as an outside auditor: the endorsement's
// log entry is the contract's, byte for byte, and its inclusion proof verifies against the
// signed checkpoint; the verification bundle holds it; a bad signature stores nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { startAccordd } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, addMember, expectStatus, accord } from '../lib/openapi.mjs'
import { jcs, rootFromInclusion, sha256, utcNow } from '../lib/signon.mjs'

test('sign-on: register and approve a key, go final, sign, and audit the log', { timeout: 60000 }, async () => {
  const server = await startAccordd()
  const { dataDir } = server
  try {
    bootstrapInstance(dataDir)
    accord(dataDir, ['org', 'add', '--name', 'Confédération générale du travail', '--short', 'CGT', '--country', 'FR', '--kind', 'union'])
    addMember(dataDir, { email: 'ana@cgt.example.org', name: 'Ana Pérez', password: OPS.password, org: 'CGT', role: 'signatory' })
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const ana = new Agent(server)
    await ana.signIn('ana@cgt.example.org', OPS.password)
    const anon = new Agent(server)
    const cgt = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items.find(o => o.short_name === 'CGT')

    expectStatus(await ops.post('/api/v1/statements', { slug: 'paris', title: 'Paris declaration' }), 201)
    expectStatus(await ops.put(`/api/v1/statements/paris/participants/${cgt.id}`, {}), 200)
    expectStatus(await anon.get('/api/v1/statements/paris/manifest'), 404, 'not-found')

    // The key pair, as a browser makes it; only the public half goes to the server.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const publicB64 = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64')
    const key = expectStatus(await ana.post('/api/v1/signing-keys', { organization_id: cgt.id, public_key: publicB64, label: 'laptop' }), 201).body
    assert.equal(key.state, 'pending')
    expectStatus(await ana.post(`/api/v1/signing-keys/${key.id}/approve`), 403, 'forbidden')
    const approved = expectStatus(await ops.post(`/api/v1/signing-keys/${key.id}/approve`), 200).body
    assert.equal(approved.state, 'approved')
    assert.equal(typeof approved.approval_log_index, 'number')

    // Final: the manifest is published and public.
    const patched = expectStatus(await ops.patch('/api/v1/statements/paris', { phase: 'final' }), 200).body
    const manifestSha = patched.manifest.manifest_sha256
    const published = expectStatus(await anon.get('/api/v1/statements/paris/manifest'), 200).body
    assert.equal(published.manifest_sha256, manifestSha)
    assert.equal(jcs(published.manifest), published.canonical)
    assert.equal(sha256(published.canonical).toString('hex'), manifestSha)
    assert.equal(sha256(published.texts.en).toString('hex'), published.manifest.languages.en.sha256)

    // The endorsement: its JCS bytes signed with the private key.
    const endorsement = {
      format: 'accord-endorsement-v1',
      manifest_sha256: manifestSha,
      organization: { id: cgt.id, name: cgt.name, country: 'FR' },
      signatory: { name: 'Ana Pérez', title: 'Secrétaire générale' },
      kind: 'adheres',
      signed_at: utcNow(),
      nonce: randomBytes(16).toString('base64')
    }
    const text = jcs(endorsement)
    const signature = sign(null, Buffer.from(text), privateKey).toString('base64')

    // A bad signature first: refused, the log unchanged.
    const before = expectStatus(await anon.get('/api/v1/log/proof/consistency?from=0'), 200).body.to
    const forged = sign(null, Buffer.from(text + ' '), privateKey).toString('base64')
    expectStatus(await ana.post('/api/v1/statements/paris/endorsements', { endorsement: text, signature: forged, key_id: key.id }), 400, 'bad-signature')
    assert.equal(expectStatus(await anon.get('/api/v1/log/proof/consistency?from=0'), 200).body.to, before)

    const stored = expectStatus(await ana.post('/api/v1/statements/paris/endorsements', { endorsement: text, signature, key_id: key.id }), 201).body
    assert.equal(stored.canonical, text)
    assert.equal(stored.endorsement_sha256, sha256(text).toString('hex'))
    expectStatus(await ana.post('/api/v1/statements/paris/endorsements', { endorsement: text, signature, key_id: key.id }), 409, 'replayed')

    // The log entry, byte for byte as the contract says.
    const entries = expectStatus(await anon.get(`/api/v1/log/entries?start=${stored.log_index}&end=${stored.log_index + 1}`), 200).body
    const entry = entries.entries[0]
    const expected = jcs({ kind: 'endorsement', endorsement, endorsement_sha256: stored.endorsement_sha256, key_id: key.id, public_key: publicB64, signature })
    // The API embeds the body verbatim as JSON; its leaf hash covers exactly the expected bytes.
    assert.equal(jcs(entry.body), expected)
    assert.equal(entry.leaf_hash, sha256(Buffer.from([0]), Buffer.from(expected)).toString('hex'))

    // Its inclusion proof leads to the root of the signed checkpoint.
    const checkpoint = expectStatus(await anon.get('/api/v1/log/checkpoint'), 200).body
    const [, sizeLine, rootLine] = checkpoint.split('\n')
    const size = Number(sizeLine)
    const proof = expectStatus(await anon.get(`/api/v1/log/proof/inclusion?index=${stored.log_index}&size=${size}`), 200).body
    const leaf = sha256(Buffer.from([0]), Buffer.from(expected))
    const root = rootFromInclusion(leaf, stored.log_index, size, proof.path.map(h => Buffer.from(h, 'hex')))
    assert.equal(root.toString('base64'), rootLine)
    assert.equal(root.toString('hex'), proof.root)

    // The public list and the bundle.
    const list = expectStatus(await anon.get('/api/v1/statements/paris/endorsements'), 200).body
    assert.equal(list.count, 1)
    assert.equal(list.endorsements[0].organization.name, cgt.name)
    const bundle = expectStatus(await anon.get('/api/v1/statements/paris/bundle'), 200)
    assert.match(bundle.headers.get('content-disposition'), /attachment; filename="paris-bundle.json"/)
    // Every entry of the log, index order; inclusion proofs on the statement's own.
    assert.deepEqual(bundle.body.entries.map(e => e.index), [...Array(bundle.body.log.size).keys()])
    assert.deepEqual(bundle.body.entries.filter(e => e.proof).map(e => JSON.parse(e.body).kind), ['key-approval', 'final-version', 'endorsement'])
  } finally {
    await server.stop()
  }
})
