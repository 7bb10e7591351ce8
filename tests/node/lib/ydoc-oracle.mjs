// A stand-in for the C++ `ydoc` tool, implemented with Yjs, so the suites can be shown to run
// before (and independently of) the real binary. Same command line, outputs and exit codes:
//   ydoc state|sv|diff|merge|json [--v2] [--out-v2] [--root NAME:KIND]... [SV_FILE] UPDATE_FILE...
import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { rootsJson, KINDS } from './yjs-json.mjs'

function usage (msg) {
  process.stderr.write(`ydoc: ${msg}\nusage: ydoc state|sv|diff|merge|json [--v2] [--out-v2] [--root NAME:KIND] [SV_FILE] UPDATE_FILE...\n`)
  process.exit(2)
}

function fail (msg) {
  process.stderr.write(`ydoc: ${String(msg).split('\n')[0]}\n`)
  process.exit(1)
}

const args = process.argv.slice(2)
const command = args.shift()
if (!['state', 'sv', 'diff', 'merge', 'json'].includes(command)) usage(`unknown command ${command ?? '(none)'}`)
let inV2 = false
let outV2 = false
const roots = []
const files = []
while (args.length > 0) {
  const a = args.shift()
  if (a === '--v2') inV2 = true
  else if (a === '--out-v2') outV2 = true
  else if (a === '--root') {
    const spec = args.shift()
    const m = spec && /^(.*):([a-z]+)$/.exec(spec)
    if (!m || !KINDS.includes(m[2])) usage(`bad --root ${spec}`)
    roots.push([m[1], m[2]])
  } else if (a.startsWith('--')) usage(`unknown option ${a}`)
  else files.push(a)
}
if (command === 'json' && roots.length === 0) usage('json needs at least one --root')
if (command !== 'json' && roots.length > 0) usage('--root only applies to json')
let svFile = null
if (command === 'diff') {
  svFile = files.shift()
  if (svFile === undefined) usage('diff needs SV_FILE')
}
if (files.length === 0) usage('no update files')

let data
try {
  data = files.map(f => readFileSync(f))
} catch (e) {
  fail(e.message)
}

let out
try {
  if (command === 'merge') {
    out = inV2 ? Y.mergeUpdatesV2(data) : Y.mergeUpdates(data)
    if (inV2 && !outV2) out = Y.convertUpdateFormatV2ToV1(out)
    if (!inV2 && outV2) out = Y.convertUpdateFormatV1ToV2(out)
  } else {
    const doc = new Y.Doc({ gc: true })
    for (const u of data) {
      if (inV2) Y.applyUpdateV2(doc, u)
      else Y.applyUpdate(doc, u)
    }
    if (command === 'state') out = outV2 ? Y.encodeStateAsUpdateV2(doc) : Y.encodeStateAsUpdate(doc)
    else if (command === 'sv') out = Y.encodeStateVector(doc)
    else if (command === 'diff') {
      const sv = readFileSync(svFile)
      Y.decodeStateVector(sv) // reject a malformed state vector before using it
      out = outV2 ? Y.encodeStateAsUpdateV2(doc, sv) : Y.encodeStateAsUpdate(doc, sv)
    } else out = Buffer.from(rootsJson(doc, roots) + '\n')
  }
} catch (e) {
  fail(e && e.message ? e.message : e)
}
process.stdout.write(out)
