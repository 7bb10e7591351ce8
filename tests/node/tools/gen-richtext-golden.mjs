// gen-richtext-golden.mjs: golden vectors for rich-text editing in the crdt library
// (crdt/src/text_format_test.cc), made with the real Yjs (version pinned by
// tests/node/package-lock.json).
//
//   cd tests/node && node tools/gen-richtext-golden.mjs
//
// Output: crdt/testdata/richtext/cases.json, deterministic (fixed client ids, seeded PRNG).
// Each case runs scripted steps on a few documents, each with its root text "t" obtained before
// any update arrives (so remote changes get Yjs's formatting cleanup). Steps:
//   ['insert', doc, index, text, attrs|null]   attrs: [[key, value], ...] or null (none given)
//   ['embed', doc, index, embed, attrs|null]
//   ['type', doc, index, 'text'|'map'|'array', attrs|null]
//   ['format', doc, index, length, attrs]
//   ['delete', doc, index, length]
//   ['sync', from, to, 'v1'|'v2']              what `to` lacks, encoded by `from`
//   ['apply', doc, hex]                          one v1 update (maybe out of order, or again)
//   ['n:insert' | 'n:format' | 'n:delete', ...]  as above, on the first nested Y.Text in "t"
//   ['txn', doc, [step, ...]]                  those steps (all on `doc`) in one transaction
// Every step records `emitted`: the v1 updates the acting document (`to` for sync) emitted.
// Every case records each document's final state, v1 and v2, and its text as a string.
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// RICHTEXT_OUT / RICHTEXT_RANDOM: another output directory and number of random sessions, for
// larger one-off runs (the checked-in file uses the defaults).
const outDir = process.env.RICHTEXT_OUT ||
  join(dirname(fileURLToPath(import.meta.url)), '../../../crdt/testdata/richtext')
// Seeds 27 and 153 once caught the order in which the cleanup walks the delete set; 42 the
// identity comparison of attribute objects.
const randomSeeds = process.env.RICHTEXT_RANDOM
  ? Array.from({ length: Number(process.env.RICHTEXT_RANDOM) }, (_, i) => i + 1)
  : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 27, 42, 153]
mkdirSync(outDir, { recursive: true })
const hex = (u8) => Buffer.from(u8).toString('hex')

// Fresh values for every op: Yjs compares attribute objects by identity in places, and the C++
// side parses each op's values separately.
const toObject = (pairs) => {
  const o = {}
  for (const [k, v] of pairs) o[k] = structuredClone(v)
  return o
}

const cases = []

// The first live nested Y.Text inside `t` (target of the 'n:insert', 'n:format', 'n:delete' ops).
const nestedText = (t) => {
  for (let n = t._start; n !== null; n = n.right) {
    if (!n.deleted && n.content.constructor === Y.ContentType && n.content.type instanceof Y.Text) {
      return n.content.type
    }
  }
  throw new Error('no nested text')
}

// Runs one step on `docs` (see the list of steps above).
const runStep = (docs, step) => {
  const [op, a] = step
  let t = docs[a].getText('t')
  if (op.startsWith('n:')) t = nestedText(t)
  switch (op.replace('n:', '')) {
    case 'txn':
      docs[a].transact(() => step[2].forEach(inner => runStep(docs, inner)))
      break
    case 'insert':
      if (step[4] === null) t.insert(step[2], step[3])
      else t.insert(step[2], step[3], toObject(step[4]))
      break
    case 'embed':
      if (step[4] === null) t.insertEmbed(step[2], structuredClone(step[3]))
      else t.insertEmbed(step[2], structuredClone(step[3]), toObject(step[4]))
      break
    case 'type': {
      const nested = step[3] === 'text' ? new Y.Text() : step[3] === 'map' ? new Y.Map() : new Y.Array()
      if (step[4] === null) t.insertEmbed(step[2], nested)
      else t.insertEmbed(step[2], nested, toObject(step[4]))
      break
    }
    case 'format':
      t.format(step[2], step[3], toObject(step[4]))
      break
    case 'delete':
      t.delete(step[2], step[3])
      break
    case 'apply':
      Y.applyUpdate(docs[a], Buffer.from(step[2], 'hex'))
      break
    case 'sync': {
      const [, from, to, fmt] = step
      if (fmt === 'v2') {
        Y.applyUpdateV2(docs[to], Y.encodeStateAsUpdateV2(docs[from], Y.encodeStateVector(docs[to])))
      } else {
        Y.applyUpdate(docs[to], Y.encodeStateAsUpdate(docs[from], Y.encodeStateVector(docs[to])))
      }
      break
    }
    default:
      throw new Error('unknown op ' + op)
  }
}

// Runs `steps` on fresh documents with the given client ids and records what Yjs does.
const runCase = (name, clients, steps, { gc = true } = {}) => {
  const docs = clients.map(id => {
    const d = new Y.Doc({ gc })
    d.clientID = id
    d.getText('t')
    return d
  })
  const logs = docs.map(d => {
    const log = []
    d.on('update', u => log.push(hex(u)))
    return log
  })
  const out = []
  for (const step of steps) {
    const actor = step[0] === 'sync' ? step[2] : step[1]
    const before = logs[actor].length
    runStep(docs, step)
    out.push({ step, emitted: logs[actor].slice(before) })
  }
  cases.push({
    name,
    gc,
    clients,
    steps: out,
    final: docs.map(d => ({
      state: hex(Y.encodeStateAsUpdate(d)),
      stateV2: hex(Y.encodeStateAsUpdateV2(d)),
      text: d.getText('t').toString()
    }))
  })
}

const B = [['bold', true]]
const I = [['italic', true]]
const noB = [['bold', null]]

runCase('insert-with-attributes', [1], [
  ['insert', 0, 0, 'hello world', null],
  ['insert', 0, 5, ' big', B],
  ['insert', 0, 7, 'X', null], // inherits bold
  ['insert', 0, 7, 'Y', []], // explicitly plain inside bold
  ['insert', 0, 8, 'Z', I], // italic, not bold, inside bold
  ['insert', 0, 0, 'start', [['color', '#f00'], ['bold', true]]],
  ['insert', 0, 3, 'same', [['color', '#f00'], ['bold', true]]],
  ['insert', 0, 20, 'end', [['font', { family: 'serif', size: 12 }]]],
  ['insert', 0, 23, 'more', [['font', { family: 'serif', size: 12 }]]] // equalFlat
])

runCase('format-on-off-overlap', [2], [
  ['insert', 0, 0, 'The quick brown fox jumps', null],
  ['format', 0, 4, 5, B],
  ['format', 0, 6, 10, I],
  ['format', 0, 2, 6, noB],
  ['format', 0, 0, 25, [['bold', true], ['italic', null]]],
  ['format', 0, 10, 3, [['link', 'http://x'], ['bold', null]]],
  ['format', 0, 11, 1, [['link', 'http://x']]], // already there
  ['format', 0, 3, 4, [['nope', null]]], // removes nothing
  ['format', 0, 0, 25, [['bold', null], ['link', null]]]
])

runCase('format-object-values', [3], [
  ['insert', 0, 0, 'abcdefgh', null],
  ['format', 0, 1, 4, [['style', { color: 'red', size: 2 }]]],
  ['format', 0, 2, 4, [['style', { color: 'red', size: 2 }]]],
  ['format', 0, 3, 2, [['style', { color: 'blue' }]]],
  ['format', 0, 0, 8, [['n', 1], ['s', 'x'], ['f', false]]],
  ['format', 0, 2, 3, [['n', 2], ['f', false]]]
])

runCase('attribute-key-order', [4], [
  ['insert', 0, 0, 'ordered', null],
  ['format', 0, 1, 3, [['b', true], ['10', 1], ['a', 'x'], ['2', 2]]],
  ['insert', 0, 2, 'Q', [['z', 1], ['1', true]]],
  ['insert', 0, 5, 'R', null]
])

runCase('format-past-end', [5], [
  ['insert', 0, 0, 'abc', null],
  ['format', 0, 1, 10, B],
  ['format', 0, 0, 3, [['header', 1]]],
  ['format', 0, 11, 4, I], // from the end itself
  ['format', 0, 12, 3, [['header', 2]]]
])

runCase('format-past-end-plain', [6], [
  ['insert', 0, 0, 'xy', null],
  ['format', 0, 1, 5, noB], // nothing to remove, still pads
  ['delete', 0, 0, 3]
])

runCase('embeds-with-attributes', [7], [
  ['insert', 0, 0, 'text around', null],
  ['format', 0, 0, 11, B],
  ['embed', 0, 4, { image: 'a.png' }, null], // takes the bold
  ['embed', 0, 6, { image: 'b.png' }, [['width', 100]]],
  ['embed', 0, 0, { formula: 'e=mc^2' }, []],
  ['embed', 0, 14, { video: 'v.mp4', start: 3 }, [['bold', true], ['align', 'center']]],
  ['format', 0, 3, 5, [['align', 'left']]],
  ['delete', 0, 4, 3]
])

runCase('nested-types', [8], [
  ['insert', 0, 0, 'abcdef', null],
  ['type', 0, 2, 'map', [['bold', true]]],
  ['type', 0, 0, 'text', null],
  ['type', 0, 8, 'array', [['italic', true]]],
  ['format', 0, 0, 5, [['color', 'red']]],
  ['delete', 0, 2, 2]
])

runCase('delete-cleanup', [9], [
  ['insert', 0, 0, 'aaabbbcccddd', null],
  ['format', 0, 3, 3, B],
  ['format', 0, 6, 3, I],
  ['format', 0, 9, 3, B],
  ['delete', 0, 3, 3], // the whole bold run
  ['delete', 0, 2, 2],
  ['format', 0, 1, 4, [['u', true]]],
  ['delete', 0, 0, 7],
  ['insert', 0, 0, 'again', null]
])

runCase('delete-between-equal-formats', [10], [
  ['insert', 0, 0, '0123456789', null],
  ['format', 0, 0, 3, B],
  ['format', 0, 6, 4, B],
  ['delete', 0, 3, 3], // bold ... bold meet
  ['insert', 0, 3, '-', null],
  ['format', 0, 2, 3, [['bold', 'x']]],
  ['delete', 0, 1, 5]
])

runCase('emoji-surrogates', [11], [
  ['insert', 0, 0, 'a😀b😎c👍🏽d', null],
  ['format', 0, 1, 2, B], // exactly the emoji
  ['format', 0, 4, 1, I], // half of 😎
  ['insert', 0, 8, '🎉', [['color', 'gold']]],
  ['insert', 0, 2, 'x', [['bold', true]]], // inside 😀
  ['format', 0, 0, 15, [['size', 3]]],
  ['delete', 0, 9, 1]
])

// Two replicas start from the same text, format concurrently, then merge.
const concurrent = (name, ids, edits, orders) => {
  for (const [label, syncs] of orders) {
    runCase(`${name}/${label}`, ids, [
      ['insert', 0, 0, 'hello brave new world', null],
      ['sync', 0, 1, 'v1'],
      ...edits,
      ...syncs
    ])
  }
}
const bothOrders = [
  ['a-then-b', [['sync', 0, 1, 'v1'], ['sync', 1, 0, 'v1']]],
  ['b-then-a', [['sync', 1, 0, 'v1'], ['sync', 0, 1, 'v1']]],
  ['v2', [['sync', 1, 0, 'v2'], ['sync', 0, 1, 'v2']]]
]

concurrent('concurrent-overlap-bold', [20, 21], [
  ['format', 0, 0, 10, B],
  ['format', 1, 4, 10, B]
], bothOrders)

concurrent('concurrent-bold-unbold', [22, 23], [
  ['format', 0, 0, 15, B],
  ['format', 1, 6, 5, noB]
], bothOrders)

concurrent('concurrent-same-range', [31, 30], [
  ['format', 0, 6, 5, [['color', 'red']]],
  ['format', 1, 6, 5, [['color', 'blue']]]
], bothOrders)

concurrent('concurrent-delete-vs-format', [24, 25], [
  ['format', 0, 6, 9, I],
  ['delete', 1, 5, 7]
], bothOrders)

concurrent('concurrent-insert-in-format', [26, 27], [
  ['format', 0, 0, 11, B],
  ['insert', 1, 3, 'XYZ', null],
  ['insert', 1, 8, 'pq', I]
], bothOrders)

// The cleanup deletes formats a remote delete made redundant.
runCase('remote-cleanup-after-delete', [40, 41], [
  ['insert', 0, 0, 'abcdef', null],
  ['format', 0, 0, 6, B],
  ['sync', 0, 1, 'v1'],
  ['format', 1, 1, 4, noB],
  ['format', 0, 0, 6, I],
  ['sync', 1, 0, 'v1'],
  ['sync', 0, 1, 'v1'],
  ['delete', 1, 0, 1],
  ['sync', 1, 0, 'v1'],
  ['format', 0, 0, 3, B],
  ['format', 1, 0, 2, B],
  ['sync', 0, 1, 'v1'],
  ['sync', 1, 0, 'v1']
])

runCase('remote-cleanup-leading-formats', [43, 42], [
  ['insert', 0, 0, 'xyz', null],
  ['sync', 0, 1, 'v1'],
  ['format', 0, 0, 2, B],
  ['format', 1, 0, 1, B],
  ['format', 1, 0, 3, [['color', 'red']]],
  ['sync', 0, 1, 'v1'],
  ['sync', 1, 0, 'v1'],
  ['delete', 0, 0, 1],
  ['sync', 0, 1, 'v1'],
  ['insert', 1, 0, 'w', [['bold', true]]],
  ['sync', 1, 0, 'v1']
])

runCase('three-clients', [50, 51, 52], [
  ['insert', 0, 0, 'one two three four', null],
  ['sync', 0, 1, 'v1'],
  ['sync', 0, 2, 'v1'],
  ['format', 0, 0, 7, B],
  ['format', 1, 4, 9, B],
  ['format', 2, 2, 12, [['bold', null], ['italic', true]]],
  ['delete', 2, 8, 3],
  ['sync', 1, 2, 'v1'],
  ['sync', 0, 2, 'v2'],
  ['sync', 2, 0, 'v1'],
  ['sync', 2, 1, 'v1'],
  ['sync', 0, 1, 'v1']
])

// Formatting inside a text nested in the root text: the cleanup covers nested texts too.
runCase('nested-text-formatting', [70, 71], [
  ['insert', 0, 0, 'ab', null],
  ['type', 0, 1, 'text', null],
  ['n:insert', 0, 0, 'inner text here', null],
  ['sync', 0, 1, 'v1'],
  ['n:format', 0, 0, 8, B],
  ['n:format', 1, 0, 5, B],
  ['n:format', 1, 0, 15, [['color', 'red']]],
  ['sync', 0, 1, 'v1'],
  ['sync', 1, 0, 'v1'],
  ['n:delete', 0, 0, 3],
  ['n:insert', 1, 5, 'X', I],
  ['sync', 0, 1, 'v2'],
  ['sync', 1, 0, 'v1'],
  ['n:delete', 1, 4, 6],
  ['sync', 1, 0, 'v1']
])

runCase('no-gc', [60, 61], [
  ['insert', 0, 0, 'keep deleted', null],
  ['format', 0, 0, 4, B],
  ['sync', 0, 1, 'v1'],
  ['format', 1, 2, 6, B],
  ['delete', 0, 1, 5],
  ['sync', 1, 0, 'v1'],
  ['sync', 0, 1, 'v1']
], { gc: false })

// Seeded random sessions over three replicas.
const ATTRS = [B, I, noB, [['italic', null]], [['color', 'red']], [['color', 'blue']],
  [['color', null]], [['bold', true], ['color', 'red']], [['link', { href: 'x' }]], []]
for (const seed of randomSeeds) {
  const gen = prng.create(seed)
  const ids = [100 + seed * 3, 101 + seed * 3, 99 + seed * 3]
  // Simulate lengths with a scratch set of docs, so every op is in range.
  const gc = seed % 5 !== 0
  // The scratch replicas behave exactly as runCase's will, so their updates can be relayed.
  const docs = ids.map(id => {
    const d = new Y.Doc({ gc })
    d.clientID = id
    d.getText('t')
    d.on('update', (u, origin) => { if (origin !== 'relay') pool.push(hex(u)) })
    return d
  })
  const pool = [] // every update a replica emitted for its own edits, for out-of-order relays
  const steps = []
  const push = (step) => {
    steps.push(step)
    const [op, a] = step
    const t = docs[a].getText('t')
    if (op === 'insert') step[4] === null ? t.insert(step[2], step[3]) : t.insert(step[2], step[3], toObject(step[4]))
    else if (op === 'embed') t.insertEmbed(step[2], step[3], toObject(step[4] || []))
    else if (op === 'format') t.format(step[2], step[3], toObject(step[4]))
    else if (op === 'delete') t.delete(step[2], step[3])
    else if (op === 'type') t.insertEmbed(step[2], new Y.Map())
    else if (op === 'apply') Y.applyUpdate(docs[a], Buffer.from(step[2], 'hex'), 'relay')
    else if (op === 'sync') Y.applyUpdate(docs[step[2]], Y.encodeStateAsUpdate(docs[a], Y.encodeStateVector(docs[step[2]])))
  }
  for (let i = 0; i < 70; i++) {
    const a = prng.uint32(gen, 0, 2)
    const len = docs[a].getText('t').length
    const r = prng.real53(gen)
    if (r < 0.3 || len === 0) {
      const s = prng.oneOf(gen, ['ab', 'xyz', 'q', '😀', 'hello ', '\n'])
      push(['insert', a, prng.uint32(gen, 0, len), s, prng.bool(gen) ? null : prng.oneOf(gen, ATTRS)])
    } else if (r < 0.35) {
      push(['embed', a, prng.uint32(gen, 0, len), { img: i }, prng.bool(gen) ? null : prng.oneOf(gen, ATTRS)])
    } else if (r < 0.38) {
      push(['type', a, prng.uint32(gen, 0, len), 'map', null])
    } else if (r < 0.65) {
      const idx = prng.uint32(gen, 0, len - 1)
      push(['format', a, idx, prng.uint32(gen, 1, len - idx + (prng.real53(gen) < 0.1 ? 2 : 0)), prng.oneOf(gen, ATTRS)])
    } else if (r < 0.8) {
      const idx = prng.uint32(gen, 0, len - 1)
      push(['delete', a, idx, prng.uint32(gen, 1, Math.min(4, len - idx))])
    } else if (r < 0.86 && pool.length > 0) {
      // One earlier update, possibly out of order or again: exercises pending structs.
      push(['apply', a, pool[prng.uint32(gen, Math.max(0, pool.length - 12), pool.length - 1)]])
    } else {
      let b = prng.uint32(gen, 0, 2)
      if (b === a) b = (a + 1) % 3
      push(['sync', a, b, prng.real53(gen) < 0.2 ? 'v2' : 'v1'])
    }
  }
  for (const [x, y] of [[0, 1], [1, 2], [2, 0], [0, 1], [1, 2]]) push(['sync', x, y, 'v1'])
  runCase(`random-${seed}`, ids, steps.map(s => s.slice()), { gc })
}

// Typing in one transaction: Yjs gives each keystroke an item and merges them at the end; the
// library may append to the run directly, but never across a change of attributes.
const typeSteps = (doc, at, text, attrs = null) =>
  [...text].map((ch, i) => ['insert', doc, at + i, ch, attrs])
runCase('txn-typing-formats', [80, 81], [
  ['txn', 0, [...typeSteps(0, 0, 'plain '), ...typeSteps(0, 6, 'bold', B), ...typeSteps(0, 10, ' back')]],
  ['txn', 0, [...typeSteps(0, 6, 'in'), ['format', 0, 2, 6, I], ...typeSteps(0, 8, 'xy'),
    ['delete', 0, 7, 2], ...typeSteps(0, 7, 'zz', noB)]],
  ['sync', 0, 1, 'v1'],
  ['txn', 1, [...typeSteps(1, 3, 'abc'), ...typeSteps(1, 6, 'de', [['color', 'red']]), ['embed', 1, 8, { img: 1 }, null],
    ...typeSteps(1, 9, 'fg'), ['format', 1, 0, 12, [['color', null]]], ...typeSteps(1, 11, '😀!')]],
  ['sync', 1, 0, 'v2'],
  ['txn', 0, [...typeSteps(0, 0, 'start'), ['delete', 0, 0, 12], ...typeSteps(0, 0, 'again', I)]],
  ['sync', 0, 1, 'v1']
])
// Text typed before an item inserted after it in the same transaction (the embed) must not
// join the run it follows: Yjs's item for it has another right origin.
runCase('txn-typing-before-embed', [82], [
  ['insert', 0, 0, 'RS', null],
  ['txn', 0, [['insert', 0, 1, 'a', null], ['embed', 0, 2, { img: 2 }, null], ['insert', 0, 2, 'b', null],
    ['insert', 0, 3, 'c', null], ['type', 0, 4, 'map', null], ['insert', 0, 4, 'd', null]]]
])
// A remote insert applied inside the transaction lands between the run typed so far and its
// right neighbour (YATA puts the higher client id second); text typed after the run then has
// another right origin and must not join it.
runCase('txn-typing-around-remote-insert', [10, 20], [
  ['insert', 0, 0, 'RS', null],
  ['sync', 0, 1, 'v1'],
  ['insert', 1, 1, 'X', null],
  ['txn', 0, [['insert', 0, 1, 'a', null], ['sync', 1, 0, 'v1'], ['insert', 0, 2, 'b', null],
    ['insert', 0, 3, 'c', null]]],
  ['sync', 0, 1, 'v1']
])
for (const seed of [5, 6, 7]) {
  const gen = prng.create(1000 + seed)
  const ids = [200 + seed, 199 + seed]
  const docs = ids.map(id => { const d = new Y.Doc(); d.clientID = id; d.getText('t'); return d })
  const steps = []
  const cursor = [0, 0]
  for (let i = 0; i < 40; i++) {
    const a = prng.uint32(gen, 0, 1)
    if (prng.real53(gen) < 0.2) {
      const step = ['sync', a, 1 - a, 'v1']
      runStep(docs, step)
      steps.push(step)
      continue
    }
    const inner = []
    docs[a].transact(() => {
      const n = prng.uint32(gen, 1, 10)
      const attrs = prng.bool(gen) ? null : prng.oneOf(gen, ATTRS)
      for (let k = 0; k < n; k++) {
        const len = docs[a].getText('t').length
        if (cursor[a] > len || prng.real53(gen) < 0.15) cursor[a] = prng.uint32(gen, 0, len)
        const r = prng.real53(gen)
        let step
        if (r < 0.7 || len === 0) {
          const ch = prng.oneOf(gen, ['a', 'b', ' ', 'é', '😀', '\n'])
          step = ['insert', a, cursor[a], ch, attrs]
          cursor[a] += ch.length
        } else if (r < 0.85 && cursor[a] > 0) {
          const d = prng.uint32(gen, 1, Math.min(3, cursor[a]))
          step = ['delete', a, cursor[a] - d, d]
          cursor[a] -= d
        } else {
          const idx = prng.uint32(gen, 0, len - 1)
          step = ['format', a, idx, prng.uint32(gen, 1, len - idx), prng.oneOf(gen, ATTRS)]
        }
        runStep(docs, step)
        inner.push(step)
      }
    })
    steps.push(['txn', a, inner])
  }
  steps.push(['sync', 0, 1, 'v1'], ['sync', 1, 0, 'v1'])
  runCase(`random-txn-${seed}`, ids, steps.map(s => structuredClone(s)))
}

writeFileSync(join(outDir, 'cases.json'), JSON.stringify({ cases }, null, 1) + '\n')
console.log('wrote cases.json', cases.length, 'cases')
