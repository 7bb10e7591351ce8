// Stock Yjs clients (y-websocket's WebsocketProvider, as in a browser) editing through a real
// accordd: concurrent edits on every type converge, late joiners sync, what is stored equals what
// the clients hold, and it all survives a restart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import * as Y from 'yjs'
import { startAccordd } from '../lib/accordd.mjs'
import {
  createToken, exportDoc, docFromUpdate, provider, waitFor, sameState, rawClient, syncUpdate,
  syncStep1, MSG_SAVED, MSG_SYNC
} from '../lib/yclient.mjs'
import * as decoding from 'lib0/decoding'

function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
    s.on('error', reject)
  })
}

function editEverything (doc, who, round) {
  doc.transact(() => {
    const text = doc.getText('text')
    text.insert(Math.min(text.length, round * 3), `${who}${round} `, round % 2 ? { bold: true } : undefined)
    if (text.length > 6 && round % 3 === 2) text.delete(1, 2)
    const map = doc.getMap('map')
    map.set(`k${round % 4}`, `${who}-${round}`)
    if (round === 1) map.set(`nested-${who}`, new Y.Map([['by', who]]))
    const array = doc.getArray('array')
    array.insert(Math.min(array.length, round), [who, round])
    if (array.length > 4 && round % 4 === 3) array.delete(0, 1)
    const xml = doc.getXmlFragment('xml')
    const p = new Y.XmlElement('p')
    p.setAttribute('data-who', who)
    p.insert(0, [new Y.XmlText(`${who} says ${round}`)])
    xml.insert(Math.min(xml.length, 1), [p])
  })
}

function jsonOf (doc) {
  return {
    text: doc.getText('text').toDelta(),
    map: doc.getMap('map').toJSON(),
    array: doc.getArray('array').toJSON(),
    xml: doc.getXmlFragment('xml').toString()
  }
}

test('three clients edit every type concurrently and converge; a late joiner syncs; storage equals the clients', async () => {
  const server = await startAccordd()
  const token = createToken(server.dataDir, { doc: 'converge-*', access: 'write' })
  const clients = ['a', 'b', 'c'].map(() => provider(server, 'converge-1', { token }))
  try {
    await Promise.all(clients.map(c => c.synced))
    for (let round = 0; round < 12; round++) {
      clients.forEach((c, i) => editEverything(c.doc, 'abc'[i], round))
      if (round % 4 === 0) await new Promise(resolve => setTimeout(resolve, 5))
    }
    await waitFor(() => sameState(clients[0].doc, clients[1].doc) && sameState(clients[1].doc, clients[2].doc),
      { what: 'three clients to converge' })
    assert.deepEqual(jsonOf(clients[1].doc), jsonOf(clients[0].doc))
    assert.deepEqual(jsonOf(clients[2].doc), jsonOf(clients[0].doc))
    assert.ok(clients[0].doc.getText('text').length > 0)

    const late = provider(server, 'converge-1', { token })
    await late.synced
    await waitFor(() => sameState(late.doc, clients[0].doc), { what: 'late joiner to sync' })
    assert.deepEqual(jsonOf(late.doc), jsonOf(clients[0].doc))
    late.destroy()

    // Everything the clients hold is stored (the export may come a few ms after the broadcast).
    await waitFor(() => sameState(docFromUpdate(exportDoc(server.dataDir, 'converge-1')), clients[0].doc),
      { what: 'storage to hold every update' })
    assert.deepEqual(jsonOf(docFromUpdate(exportDoc(server.dataDir, 'converge-1'))), jsonOf(clients[0].doc))
  } finally {
    clients.forEach(c => c.destroy())
    await server.stop()
  }
})

test('a restart keeps everything, and clients reconnect and keep editing', async () => {
  const port = await freePort()
  const first = await startAccordd({ args: ['--listen', `127.0.0.1:${port}`] })
  const token = createToken(first.dataDir, { doc: 'restart', access: 'write' })
  const a = provider(first, 'restart', { token })
  let second
  try {
    await a.synced
    a.doc.getText('text').insert(0, 'before restart')
    a.doc.getMap('map').set('x', 1)
    await waitFor(() => sameState(docFromUpdate(exportDoc(first.dataDir, 'restart')), a.doc), { what: 'stored' })
    const { code } = await first.stop({ keepData: true })
    assert.equal(code, 0)

    second = await startAccordd({ dataDir: first.dataDir, args: ['--listen', `127.0.0.1:${port}`] })
    const fresh = provider(second, 'restart', { token })
    await fresh.synced
    assert.equal(fresh.doc.getText('text').toString(), 'before restart')
    // The old client reconnects by itself and its new edits reach the new client.
    await waitFor(() => a.provider.wsconnected && a.provider.synced, { what: 'reconnect', timeout: 15000 })
    a.doc.getText('text').insert(0, 'after ')
    await waitFor(() => fresh.doc.getText('text').toString() === 'after before restart', { what: 'edit after reconnect' })
    fresh.destroy()
  } finally {
    a.destroy()
    if (second) await second.stop()
  }
})

test('the saved extension reports a state vector covering each stored update', async () => {
  const server = await startAccordd()
  const token = createToken(server.dataDir, { doc: 'saved', access: 'write' })
  try {
    const c = await rawClient(server, 'saved', { token, query: 'ext=saved' })
    const doc = new Y.Doc()
    doc.clientID = 4242
    let update
    doc.on('update', u => { update = u })
    doc.getText('t').insert(0, 'durable')
    c.send(syncUpdate(update))
    const saved = await c.next(m => m.type === MSG_SAVED && Y.decodeStateVector(m.payload).get(4242) === 7)
    assert.ok(saved)
    const stored = docFromUpdate(exportDoc(server.dataDir, 'saved'))
    assert.equal(stored.getText('t').toString(), 'durable')
    // A stock client (no ext=saved) is never sent the extension message.
    const stock = await rawClient(server, 'saved', { token })
    stock.send(syncStep1(Y.encodeStateVector(new Y.Doc())))
    await stock.next(m => m.type === MSG_SYNC && m.sub === 1)
    doc.getText('t').insert(0, 'more ')
    c.send(syncUpdate(update))
    await stock.next(m => m.type === MSG_SYNC && m.sub === 2)
    await c.next(m => m.type === MSG_SAVED && Y.decodeStateVector(m.payload).get(4242) === 12)
    assert.ok(stock.messages.every(m => m.type !== MSG_SAVED))
    c.close(); stock.close()
  } finally {
    await server.stop()
  }
})

test('on connect the server sends its step 1 and answers a step 1 with a step 2', async () => {
  const server = await startAccordd()
  const token = createToken(server.dataDir, { doc: 'handshake', access: 'write' })
  try {
    const writer = provider(server, 'handshake', { token })
    await writer.synced
    writer.doc.getArray('a').insert(0, [1, 2, 3])
    await waitFor(() => sameState(docFromUpdate(exportDoc(server.dataDir, 'handshake')), writer.doc), { what: 'stored' })
    const c = await rawClient(server, 'handshake', { token })
    const step1 = await c.next(m => m.type === MSG_SYNC && m.sub === 0)
    const sv = Y.decodeStateVector(step1.payload)
    assert.equal(sv.get(writer.doc.clientID), 3)
    c.send(syncStep1(Y.encodeStateVector(new Y.Doc())))
    const step2 = await c.next(m => m.type === MSG_SYNC && m.sub === 1)
    assert.deepEqual(docFromUpdate(step2.payload).getArray('a').toJSON(), [1, 2, 3])
    // The step 2 is a plain v1 update that a decoder reads to the end.
    const d = decoding.createDecoder(step2.payload)
    assert.ok(decoding.hasContent(d))
    c.close()
    writer.destroy()
  } finally {
    await server.stop()
  }
})
