// One worker thread's share of scenario B (bench.mjs): it owns some of the 300 sockets, passive
// listeners and typists alike, on its own event loop, so no single loop has to take all
// ~44,000 received messages a second and arrival times are not dominated by the generator's
// own queueing. It stamps sends and arrivals on lib/clock.mjs (valid across threads), keeps
// one (edit id, arrival time) record per delivery in typed arrays, and hands them to the main
// thread (transferred, not copied) once the run has drained; the main thread does all the
// statistics.
//
// Conversation with the main thread (parentPort):
//   -> { type: 'opened' }                       after every client has synced
//   <- { type: 'start' }                        typing begins; measurement span opens
//   <- { type: 'stop' }     -> { type: 'stopped', sent }
//   <- { type: 'drain', total, ms }             wait for this worker's share of deliveries
//   -> { type: 'drained', ... results }         measurement span closes
//   <- { type: 'close' }    -> { type: 'closed' }
//   -> { type: 'error', message }               at any time
import { parentPort, workerData } from 'node:worker_threads'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { BenchClient, openMany, sourceAddress } from './client.mjs'
import { now } from './clock.mjs'
import { threadCpuSeconds } from './proc.mjs'

// indices: the global client numbers this worker owns (client i < typists types);
// maxSeq: edits per typist at most; an edit's id is seq * typists + typist, so a receiver reads
// the sender from the id itself (no shared table) and one typist's ids grow with its seq.
const { url, framing, indices, typists, rate, maxSeq, integrate, concurrency } = workerData
const maxEdits = maxSeq * typists
const server = { framing, url: () => url }

const sendTime = new Float64Array(maxEdits).fill(NaN) // only our typists' ids are set
let recIds = new Int32Array(1 << 18)
let recTimes = new Float64Array(1 << 18)
let nRec = 0
let duplicates = 0
let sent = 0

function grow () {
  const ids = new Int32Array(recIds.length * 2)
  ids.set(recIds)
  recIds = ids
  const times = new Float64Array(recTimes.length * 2)
  times.set(recTimes)
  recTimes = times
}

// Each edit inserts "~k<id>~ "; Yjs keeps inserted strings verbatim in v1 updates, so the ids
// are found by scanning the update's bytes and a listener needs no Y.Doc. Buffer#indexOf
// (memchr) finds the '~'s: measured on real single and merged updates (30 and 130 bytes) it is
// as fast as a byte loop on the small ones and ~1.4x faster on the merged ones.
function onUpdate (client, buf, start, end, tRecv) {
  const lastSeen = client.lastSeen
  const me = client.index
  let i = buf.indexOf(0x7e, start)
  while (i >= 0 && i + 3 < end) { // a marker needs at least "~k0~"
    if (buf[i + 1] !== 0x6b) { i = buf.indexOf(0x7e, i + 1); continue } // '~k'
    let j = i + 2
    let id = 0
    while (j < end) {
      const c = buf[j]
      if (c < 0x30 || c > 0x39) break
      id = id * 10 + c - 0x30
      j++
    }
    if (j === i + 2 || j >= end || buf[j] !== 0x7e) { i = buf.indexOf(0x7e, i + 1); continue }
    i = buf.indexOf(0x7e, j + 1)
    if (id >= maxEdits) continue
    const from = id % typists
    if (from === me) continue // the sender's own echo
    if (id <= lastSeen[from]) { duplicates++; continue }
    lastSeen[from] = id
    if (nRec === recIds.length) grow()
    recIds[nRec] = id
    recTimes[nRec++] = tRecv
  }
}

let clients = []
const timers = []
let span = null // measurement baselines, from 'start' to 'drained'

function startTyping () {
  const rand = Math.random
  for (const c of clients) {
    const t = c.index
    if (t >= typists) continue
    const text = c.doc.getText('t')
    let cursor = 0
    let seq = 0
    const tick = () => {
      if (seq >= maxSeq || c.closed) return
      const id = seq++ * typists + t
      sent++
      // Typing moves the cursor forward; now and then the writer jumps elsewhere.
      if (rand() < 0.05 || cursor > text.length) cursor = Math.floor(rand() * (text.length + 1))
      const s = `~k${id}~ `
      sendTime[id] = now()
      text.insert(cursor, s) // sent by the doc's update handler, synchronously
      cursor += s.length
    }
    timers.push(setTimeout(() => timers.push(setInterval(tick, 1000 / rate)), rand() * (1000 / rate)))
  }
}

function stopTyping () {
  for (const t of timers) { clearTimeout(t); clearInterval(t) }
}

async function drain (total, ms) {
  // Every edit should reach every client here but its own typist.
  const expected = total * clients.length - sent
  const t0 = performance.now()
  while (nRec < expected && performance.now() - t0 < ms) await new Promise((resolve) => setTimeout(resolve, 20))
  const seconds = (performance.now() - span.wall) / 1000
  const cpu = threadCpuSeconds() - span.cpu
  const elu = performance.eventLoopUtilization(span.elu).utilization
  span.delay.disable()
  // Views of the filled part; transferring their buffers hands the records over uncopied.
  const ids = recIds.subarray(0, nRec)
  const times = recTimes.subarray(0, nRec)
  parentPort.postMessage({
    type: 'drained',
    expected,
    duplicates,
    closedEarly: clients.filter((c) => c.closed).length,
    cpu: cpu / seconds,
    elu,
    delayP99: span.delay.percentile(99) / 1e6,
    sendTime,
    ids,
    times
  }, [ids.buffer, times.buffer, sendTime.buffer])
}

async function onCommand (msg) {
  if (msg.type === 'start') {
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    span = { wall: performance.now(), cpu: threadCpuSeconds(), elu: performance.eventLoopUtilization(), delay }
    startTyping()
  } else if (msg.type === 'stop') {
    stopTyping()
    parentPort.postMessage({ type: 'stopped', sent })
  } else if (msg.type === 'drain') {
    await drain(msg.total, msg.ms)
  } else if (msg.type === 'close') {
    stopTyping()
    for (const c of clients) c.close()
    parentPort.postMessage({ type: 'closed' })
  }
}

parentPort.on('message', (msg) => {
  onCommand(msg).catch((e) => parentPort.postMessage({ type: 'error', message: e.message }))
})

try {
  clients = await openMany(indices.length, (k) => {
    const i = indices[k]
    const c = new BenchClient(server, 'b-doc', {
      replica: i < typists, integrate, localAddress: sourceAddress(i), onUpdate, clock: now
    })
    c.index = i
    c.lastSeen = new Int32Array(typists).fill(-1)
    return c
  }, concurrency)
  parentPort.postMessage({ type: 'opened' })
} catch (e) {
  parentPort.postMessage({ type: 'error', message: e.message })
}
