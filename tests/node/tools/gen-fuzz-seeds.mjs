// gen-fuzz-seeds.mjs: seed corpora for the libFuzzer targets in crdt/fuzz/, made with the real
// Yjs (version pinned by tests/node/package-lock.json) from small editing sessions of every
// shared type, so that the fuzzers start from valid updates and mutate from there.
//
//   cd tests/node && node tools/gen-fuzz-seeds.mjs
//
// Output (deterministic: fixed client ids, no randomness), replacing what was there:
//   crdt/fuzz/corpus/update_v1_fuzzer/*.bin    updates of each session: per transaction, the
//   crdt/fuzz/corpus/update_v2_fuzzer/*.bin    full state, a merge and a diff (v1 / v2)
//   crdt/fuzz/corpus/state_vector_fuzzer/*.bin encoded state vectors of the sessions' docs
//   crdt/fuzz/corpus/delete_set_fuzzer/*.bin   one byte picking the decoder (0: v1 update,
//       1: v2 update, 2: v2 delete-set coder of snapshots), then a delete set in that coding
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const outRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../crdt/fuzz/corpus')
const targets = ['update_v1_fuzzer', 'update_v2_fuzzer', 'state_vector_fuzzer', 'delete_set_fuzzer']
for (const t of targets) {
  rmSync(join(outRoot, t), { recursive: true, force: true })
  mkdirSync(join(outRoot, t), { recursive: true })
}
const put = (target, name, bytes) => writeFileSync(join(outRoot, target, `${name}.bin`), bytes)

const newDoc = (clientID, opts = {}) => {
  const d = new Y.Doc(opts)
  d.clientID = clientID
  return d
}

// Records every update a doc emits, v1 and v2, in order.
const record = (doc) => {
  const log = { v1: [], v2: [] }
  doc.on('update', u => log.v1.push(u))
  doc.on('updateV2', u => log.v2.push(u))
  return log
}

const sync = (a, b) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

// Each session edits docs[0] (and maybe others, synced into docs[0]) and returns the docs.
const sessions = {
  text_format (log) {
    const a = newDoc(11); const b = newDoc(22)
    const la = log(a)
    const ta = a.getText('text'); const tb = b.getText('text')
    ta.insert(0, 'Hello world, this is rich text.')
    ta.format(0, 5, { bold: true })
    ta.insert(6, 'wide ', { italic: true, color: '#f00' })
    sync(a, b)
    tb.insert(3, 'é😀x', { bold: true })
    tb.format(2, 10, { bold: null, link: { href: 'https://example.com' } })
    ta.insertEmbed(4, { image: 'img.png' }, { width: 20 })
    ta.delete(8, 4)
    sync(a, b)
    return [a, la]
  },
  map (log) {
    const a = newDoc(33)
    const la = log(a)
    const m = a.getMap('map')
    a.transact(() => {
      m.set('num', 42); m.set('float', 1.5); m.set('neg', -7); m.set('big', 2 ** 40)
      m.set('str', 'value'); m.set('bool', true); m.set('nil', null); m.set('undef', undefined)
    })
    m.set('arr', [1, 'two', { three: 3 }, [4]])
    m.set('obj', { a: { b: { c: [true, false, null] } } })
    m.set('bin', new Uint8Array([0, 1, 2, 250, 255]))
    m.set('num', 43)
    m.delete('str')
    m.set('bigint', 12345678901234567890n)
    return [a, la]
  },
  array (log) {
    const a = newDoc(44); const b = newDoc(55)
    const la = log(a)
    const arr = a.getArray('array')
    arr.insert(0, [1, 2, 3, 'x', { y: 1 }])
    arr.push([new Uint8Array([9, 8, 7])])
    sync(a, b)
    b.getArray('array').insert(2, ['from b'])
    arr.delete(1, 2)
    arr.unshift(['first'])
    sync(a, b)
    return [a, la]
  },
  xml (log) {
    const a = newDoc(66)
    const la = log(a)
    const frag = a.getXmlFragment('xml')
    const p = new Y.XmlElement('p')
    frag.insert(0, [p])
    p.setAttribute('class', 'lead')
    const t = new Y.XmlText()
    p.insert(0, [t])
    t.insert(0, 'some xml text')
    t.format(0, 4, { strong: true })
    const h = new Y.XmlHook('hook')
    frag.insert(1, [h, new Y.XmlElement('img')])
    h.set('k', 'v')
    p.removeAttribute('class')
    frag.delete(2, 1)
    return [a, la]
  },
  nested (log) {
    const a = newDoc(77)
    const la = log(a)
    const root = a.getMap('root')
    const list = new Y.Array()
    root.set('list', list)
    const inner = new Y.Map()
    list.insert(0, [inner, 'plain'])
    const txt = new Y.Text('nested text')
    inner.set('text', txt)
    txt.insert(0, '>> ')
    inner.set('deep', new Y.Map())
    inner.get('deep').set('x', [1, 2])
    list.delete(1, 1)
    root.set('list2', new Y.Array())
    root.delete('list2')
    return [a, la]
  },
  subdocs (log) {
    const a = newDoc(88)
    const la = log(a)
    const m = a.getMap('docs')
    m.set('plain', new Y.Doc({ guid: 'sub-plain' }))
    m.set('meta', new Y.Doc({ guid: 'sub-meta', meta: { title: 'T' }, autoLoad: true }))
    a.getArray('list').insert(0, [new Y.Doc({ guid: 'sub-nogc', gc: false })])
    m.delete('plain')
    return [a, la]
  },
  deletes (log) {
    const a = newDoc(99, { gc: false }); const b = newDoc(100)
    const la = log(a)
    const t = a.getText('text')
    t.insert(0, 'abcdefghijklmnopqrstuvwxyz'.repeat(4))
    for (let i = 0; i < 10; i++) t.delete(i * 3, 2)
    sync(a, b)
    b.getText('text').delete(0, 20)
    a.getArray('arr').insert(0, [1, 2, 3, 4, 5, 6])
    a.getArray('arr').delete(1, 4)
    sync(a, b)
    return [a, la]
  },
  concurrent (log) {
    const docs = [newDoc(1), newDoc(2), newDoc(3)]
    const la = log(docs[0])
    docs.forEach((d, i) => d.getText('t').insert(0, `client ${i} `))
    sync(docs[0], docs[1])
    docs[2].getMap('m').set('k', 'v3')
    docs[1].getMap('m').set('k', 'v2')
    sync(docs[1], docs[2]); sync(docs[0], docs[2])
    docs[0].getText('t').delete(2, 5)
    return [docs[0], la, docs]
  }
}

const svSeeds = [Y.encodeStateVector(new Y.Doc())]
for (const [name, run] of Object.entries(sessions)) {
  const [doc, log, others = []] = run(record)
  for (const [v, target, enc, merge, diff] of [
    ['v1', 'update_v1_fuzzer', Y.encodeStateAsUpdate, Y.mergeUpdates, Y.diffUpdate],
    ['v2', 'update_v2_fuzzer', Y.encodeStateAsUpdateV2, Y.mergeUpdatesV2, Y.diffUpdateV2]
  ]) {
    const updates = log[v]
    // A handful of the transaction updates (first, a middle one, last), not all of them.
    const picks = [...new Set([0, Math.floor(updates.length / 2), updates.length - 1])]
    for (const i of picks) put(target, `${name}-txn${i}`, updates[i])
    put(target, `${name}-state`, enc(doc))
    if (updates.length >= 2) put(target, `${name}-merge`, merge(updates.slice(0, 2)))
    // What a peer holding the first transaction lacks (its structs start after clock 0).
    const first = newDoc(999)
    if (v === 'v1') Y.applyUpdate(first, updates[0]); else Y.applyUpdateV2(first, updates[0])
    put(target, `${name}-diff`, diff(enc(doc), Y.encodeStateVector(first)))
    // The last update alone, out of order: a fresh document keeps it pending.
    if (updates.length >= 3) put(target, `${name}-pending`, merge(updates.slice(-2)))
  }
  svSeeds.push(Y.encodeStateVector(doc))
  for (const o of others) svSeeds.push(Y.encodeStateVector(o))

  const ds = Y.createDeleteSetFromStructStore(doc.store)
  const writeDs = (encoder) => {
    const clients = [...ds.clients.entries()].sort((x, y) => y[0] - x[0])
    encoding.writeVarUint(encoder.restEncoder, clients.length)
    for (const [client, items] of clients) {
      encoder.resetDsCurVal()
      encoding.writeVarUint(encoder.restEncoder, client)
      encoding.writeVarUint(encoder.restEncoder, items.length)
      for (const item of items) { encoder.writeDsClock(item.clock); encoder.writeDsLen(item.len) }
    }
    return encoder.toUint8Array()
  }
  if (ds.clients.size > 0) {
    const tag = (k, bytes) => Uint8Array.from([k, ...bytes])
    put('delete_set_fuzzer', `${name}-v1`, tag(0, writeDs(new Y.UpdateEncoderV1())))
    put('delete_set_fuzzer', `${name}-v2`, tag(1, writeDs(new Y.UpdateEncoderV2())))
    put('delete_set_fuzzer', `${name}-snapshot-v2`, tag(2, Y.encodeSnapshotV2(Y.snapshot(doc))))
    put('delete_set_fuzzer', `${name}-snapshot-v1`, tag(0, Y.encodeSnapshot(Y.snapshot(doc))))
  }
}
svSeeds.forEach((sv, i) => put('state_vector_fuzzer', `sv${i}`, sv))

