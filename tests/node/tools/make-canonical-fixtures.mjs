// Writes server/drafting/testdata/NAME.update for every NAME.pm.json there: the ProseMirror
// document (JSON, in the declaration schema) stored into the Y.XmlFragment "prosemirror" by
// y-prosemirror itself, as one Yjs v1 update. These are the inputs of the canonical-text golden
// tests (server/drafting/src/canonical_text_test.cc); NAME.md and NAME.html beside them are the
// hand-written expected renderings.
//
//   node tests/node/tools/make-canonical-fixtures.mjs          (re)write the .update files
//
// suites/canonical-fixtures.test.mjs regenerates them and fails if the committed bytes differ.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Y, YPM, repoRoot } from '../lib/web-client-modules.mjs'
import { schema } from '../lib/pm-schema.mjs'

export const testdataDir = path.join(repoRoot, 'server/drafting/testdata')

export function fixtureNames () {
  return readdirSync(testdataDir).filter(f => f.endsWith('.pm.json')).map(f => f.slice(0, -8)).sort()
}

export function readFixtureDoc (name) {
  const doc = schema.nodeFromJSON(JSON.parse(readFileSync(path.join(testdataDir, name + '.pm.json'), 'utf8')))
  doc.check() // the fixture must be a document the editor could hold
  return doc
}

// The update y-prosemirror writes for `doc`. A fixed client id makes the bytes reproducible.
export function updateOf (doc) {
  const ydoc = new Y.Doc()
  ydoc.clientID = 1
  YPM.prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment('prosemirror'))
  return Y.encodeStateAsUpdate(ydoc)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const name of fixtureNames()) {
    writeFileSync(path.join(testdataDir, name + '.update'), updateOf(readFixtureDoc(name)))
    console.log(`wrote ${name}.update`)
  }
}
