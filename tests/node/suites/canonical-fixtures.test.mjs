// The canonical-text golden fixtures (server/drafting/testdata) are what the editor writes:
// each NAME.update is regenerated here with y-prosemirror (the web client's copy, with the
// declaration schema) from NAME.pm.json and must be byte-identical, and decoding it with
// y-prosemirror must give the same ProseMirror document back. Then `accord render` must print
// NAME.md, NAME.html and the SHA-256 of NAME.md — the CLI the samples suite
// (web-client/src/canonical-samples.test.ts) renders with.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { binary } from '../lib/accordd.mjs'
import { Y, YPM } from '../lib/web-client-modules.mjs'
import { schema } from '../lib/pm-schema.mjs'
import { fixtureNames, readFixtureDoc, testdataDir, updateOf } from '../tools/make-canonical-fixtures.mjs'

const names = fixtureNames()
const fixture = (name, ext) => readFileSync(path.join(testdataDir, name + ext))

function render (file, ...flags) {
  return spawnSync(binary('accord'), ['render', ...flags, file], { encoding: 'utf8' })
}

test('there are fixtures for every node and mark', () => {
  assert.ok(names.length >= 16, `only ${names.length} fixtures`)
  const used = new Set()
  for (const name of names) {
    readFixtureDoc(name).descendants(node => {
      used.add(node.type.name)
      for (const m of node.marks) used.add(m.type.name)
    })
  }
  used.add('doc')
  const all = [...Object.keys(schema.nodes), ...Object.keys(schema.marks)].sort()
  assert.deepEqual([...used].sort(), all)
})

for (const name of names) {
  test(`${name}: the committed update is what y-prosemirror writes`, () => {
    const doc = readFixtureDoc(name)
    assert.deepEqual(Buffer.from(updateOf(doc)), fixture(name, '.update'),
      'regenerate with node tests/node/tools/make-canonical-fixtures.mjs')
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, fixture(name, '.update'))
    const back = YPM.yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment('prosemirror'), schema)
    assert.ok(back.eq(doc), `decodes to ${JSON.stringify(back.toJSON())}`)
  })

  test(`${name}: accord render prints the expected markdown, html and hash`, () => {
    const file = path.join(testdataDir, name + '.update')
    const md = render(file)
    assert.equal(md.status, 0, md.stderr)
    assert.equal(md.stdout, fixture(name, '.md').toString('utf8'))
    assert.equal(render(file, '--format', 'markdown').stdout, md.stdout)
    const html = render(file, '--format', 'html')
    assert.equal(html.status, 0, html.stderr)
    assert.equal(html.stdout, fixture(name, '.html').toString('utf8'))
    const hash = render(file, '--format', 'hash')
    assert.equal(hash.status, 0, hash.stderr)
    assert.equal(hash.stdout, createHash('sha256').update(md.stdout, 'utf8').digest('hex') + '\n')
  })
}

test('accord render refuses bad input clearly', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-render-'))
  try {
    const garbage = path.join(dir, 'garbage.update')
    writeFileSync(garbage, Buffer.from([0xff, 0xff, 0xff, 0x01]))
    const good = path.join(testdataDir, 'marks.update')
    const cases = [
      [[garbage], 1, /corruption/],
      [[path.join(dir, 'missing.update')], 1, /cannot read/],
      [['--format', 'pdf', good], 2, /--format must be/],
      [[], 2, /one UPDATE_FILE/],
      [[good, good], 2, /one UPDATE_FILE/],
      [['--colour', 'x', good], 2, /unknown flag/]
    ]
    for (const [args, code, message] of cases) {
      const r = spawnSync(binary('accord'), ['render', ...args], { encoding: 'utf8' })
      assert.equal(r.status, code, `accord render ${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
      assert.equal(r.stdout, '')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
