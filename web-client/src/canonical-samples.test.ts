// The canonical text (server/drafting/CANONICAL.md) of real statements: each file of
// ../shared/samples is imported as a user would import it (importMarkdown), stored into a
// Y.Doc by y-prosemirror, and rendered by the server's code (`accord render`). Checked: the
// SHA-256 equals the committed golden one (server/drafting/testdata/samples.sha256 — hashes
// only, the samples are never copied into the repository), every numbered point keeps its
// number, re-importing the canonical text gives the identical text, the HTML is balanced and
// holds every word. The golden fixtures of server/drafting/testdata get the re-import check too.
//
// Needs the `accord` binary: $ACCORD_BIN_DIR, else <repo>/build-asan/bin (make test builds it).
// ACCORD_UPDATE_GOLDEN=1 rewrites samples.sha256 instead of comparing (then review the diff);
// ACCORD_CANONICAL_DUMP=DIR writes each sample's canonical Markdown and HTML there to read.
import { describe, it, expect, afterAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import type { Node as PMNode } from 'prosemirror-model'
import { importMarkdown } from './importer'
import { schema } from './schema'

const repo = path.resolve(__dirname, '../..')
const samplesDir = path.resolve(repo, '../shared/samples')
const haveSamples = existsSync(samplesDir)
const testdata = path.join(repo, 'server/drafting/testdata')
const goldenFile = path.join(testdata, 'samples.sha256')
const accordBin = path.join(process.env.ACCORD_BIN_DIR || path.join(repo, 'build-asan/bin'), 'accord')
const work = mkdtempSync(path.join(tmpdir(), 'canonical-samples-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

interface Rendered { markdown: string, html: string, hash: string }

let counter = 0
// The document as the editor stores it, rendered by the server's canonical text code.
function render (doc: PMNode): Rendered {
  if (!existsSync(accordBin)) throw new Error(`${accordBin} does not exist: build it or set ACCORD_BIN_DIR`)
  const ydoc = new Y.Doc()
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment('prosemirror'))
  const file = path.join(work, `doc-${counter++}.update`)
  writeFileSync(file, Y.encodeStateAsUpdate(ydoc))
  const run = (format: string) => {
    const r = spawnSync(accordBin, ['render', '--format', format, file], { encoding: 'utf8', maxBuffer: 1 << 28 })
    if (r.status !== 0) throw new Error(`accord render --format ${format}: ${r.stderr}`)
    return r.stdout
  }
  return { markdown: run('markdown'), html: run('html'), hash: run('hash').trim() }
}

// The list numbers at the starts of canonical lines, in order ("N. " or "N) " markers, also
// after quote markers, indentation and other list markers on the same line).
function markerNumbers (markdown: string): number[] {
  const numbers: number[] = []
  for (const line of markdown.split('\n')) {
    let rest = line
    for (;;) {
      const m = /^(?: +|> ?|[-+] |(\d{1,9})[.)](?: |$))/.exec(rest)
      if (!m || m[0].length === 0) break
      if (m[1] !== undefined) numbers.push(Number(m[1]))
      rest = rest.slice(m[0].length)
    }
  }
  return numbers
}

// The numbers the document's ordered lists give their items (order + index), in order.
function itemNumbers (doc: PMNode): number[] {
  const numbers: number[] = []
  doc.descendants(node => {
    if (node.type.name === 'ordered_list') node.forEach((_, __, i) => numbers.push(node.attrs.order + i))
  })
  return numbers
}

const ALLOWED = new Set(['p', 'h1', 'h2', 'h3', 'ol', 'ul', 'li', 'blockquote', 'strong', 'em', 'a', 'br'])
// Every tag is one of ours and closed in order; text has no raw "<" or ">".
function checkHtml (html: string): string {
  const stack: string[] = []
  for (const m of html.matchAll(/<(\/?)([a-z0-9]+)((?: [a-z]+="[^"<>]*")*)>/g)) {
    const [, close, tag] = m
    expect(ALLOWED.has(tag), `tag <${tag}>`).toBe(true)
    if (tag === 'br') continue
    if (close) expect(stack.pop(), `</${tag}>`).toBe(tag)
    else stack.push(tag)
  }
  expect(stack).toEqual([])
  // Marks join their neighbours; block tags and <br> separate.
  const text = html.replace(/<\/?(?:strong|em|a)\b[^>]*>/g, '').replace(/<[^>]*>/g, ' ')
  expect(text).not.toMatch(/[<>]/)
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
}

function readGolden (): Map<string, string> {
  const golden = new Map<string, string>()
  if (!existsSync(goldenFile)) return golden
  for (const line of readFileSync(goldenFile, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line)
    if (m) golden.set(m[2], m[1])
  }
  return golden
}

describe('canonical text of the golden fixtures', () => {
  const fixtures = readdirSync(testdata).filter(f => f.endsWith('.md'))
  // Not expected to survive a re-import unchanged (CANONICAL.md, "Limits"): true overlaps of
  // strong and em have no faithful Markdown; the importer (markdown-it) refuses javascript:
  // links and percent-encodes spaces in destinations. Their words survive all the same, only
  // with leftover markup as literal text around them: the letters and digits of the original,
  // in order, are a subsequence of the re-imported text's.
  const notReimportable = new Set(['overlap.md', 'link_destinations.md'])
  const letters = (html: string) => checkHtml(html).replace(/[^\p{L}\p{N}]+/gu, '')
  const isSubsequence = (part: string, whole: string) => {
    const want = [...part]
    let at = 0
    for (const c of whole) if (at < want.length && c === want[at]) at++
    return at === want.length
  }
  for (const file of fixtures) {
    const markdown = readFileSync(path.join(testdata, file), 'utf8')
    if (notReimportable.has(file)) {
      it(`${file} re-imports with the same words (markup may differ)`, () => {
        const html = readFileSync(path.join(testdata, file.replace(/\.md$/, '.html')), 'utf8')
        const again = render(importMarkdown(markdown))
        expect(again.markdown).not.toBe(markdown) // if this starts to hold, drop the exception
        expect(isSubsequence(letters(html), letters(again.html)), again.markdown).toBe(true)
      })
    } else {
      it(`${file} re-imports to the identical canonical text`, () => {
        expect(render(importMarkdown(markdown)).markdown).toBe(markdown)
      })
    }
  }
})

// Documents full of characters Markdown gives meaning to, at line starts, inside marks and next
// to them. Marks are applied to whole runs, separated by an unmarked space or, for pairs of
// runs with letters at their edges, touching — so none of the documented limits (overlap,
// punctuation at a mark's inner edge) applies: the canonical text must re-import to itself.
// Seeded, so every run checks the same documents.
describe('canonical text of generated documents', () => {
  let seed = 20260312
  const rand = (n: number) => { // mulberry32
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
  const pick = <T>(xs: T[]): T => xs[rand(xs.length)]
  const atoms = ['a', 'b', 'word', ' ', '  ', '#', '##', '-', '+', '=', '~', '>', '*', '**', '_', '`', '[', ']',
    '\\', '<', '&', '&amp;', '&#35;', '!', '1', '2023', '.', ')', '(', '"', ';', ':', 'é', 'e\u0301', '\u00a0',
    '2023. ', '1) ', '- ', '# ', '> ', '***', '---', '===', '```', '|', '<http://x.org>', 'http://y.org', '\t']
  const text = () => Array.from({ length: 1 + rand(6) }, () => pick(atoms)).join('')
  const markSets = [[], [], ['strong'], ['em'], ['strong', 'em'], ['link'], ['link', 'strong'], ['link', 'em']]
  const marks = () => pick(markSets).map(m => m === 'link'
    ? schema.marks.link.create({ href: pick(['https://x.org/a', 'mailto:a@b.org', 'https://x.org/(b)']), title: pick([null, 'T "q"']) })
    : schema.marks[m].create())
  function inline () {
    const nodes = []
    const count = 1 + rand(5)
    for (let k = 0; k < count; k++) {
      if (k > 0) nodes.push(rand(5) === 0 ? schema.nodes.hard_break.create() : schema.text(' '))
      // Sometimes two runs touch; their edges are letters then (a mark edge at punctuation
      // is a documented limit).
      const pair = rand(4) === 0
      for (const t of pair ? ['w' + text() + 'v', 'x' + text() + 'y'] : [text()]) {
        if (t.trim()) nodes.push(schema.text(t, marks()))
      }
    }
    return nodes
  }
  const paragraph = () => schema.nodes.paragraph.create(null, inline())
  function block (depth: number): PMNode {
    switch (depth > 1 ? 0 : rand(6)) {
      case 1: return schema.nodes.heading.create({ level: 1 + rand(3) }, inline())
      case 2: return schema.nodes.ordered_list.create({ order: rand(12) }, [item(depth), item(depth)])
      case 3: return schema.nodes.bullet_list.create(null, [item(depth)])
      case 4: return schema.nodes.blockquote.create(null, [paragraph(), block(depth + 1)])
      default: return paragraph()
    }
  }
  function item (depth: number): PMNode {
    return schema.nodes.list_item.create(null, rand(3) === 0 ? [paragraph(), block(depth + 1)] : [paragraph()])
  }
  for (let round = 0; round < 4; round++) {
    it(`round ${round}: 150 blocks re-import to the identical canonical text`, () => {
      const doc = schema.nodes.doc.create(null, Array.from({ length: 150 }, () => block(0)))
      doc.check()
      const first = render(doc)
      if (process.env.ACCORD_CANONICAL_DUMP) {
        writeFileSync(path.join(process.env.ACCORD_CANONICAL_DUMP, `generated-${round}.md`), first.markdown)
      }
      checkHtml(first.html)
      const again = render(importMarkdown(first.markdown))
      expect(again.markdown).toBe(first.markdown)
      expect(again.html).toBe(first.html)
    })
  }
})

describe.skipIf(!haveSamples)(`canonical text of the samples in ${samplesDir} (skipped when ../shared is absent)`, () => {
  const files = haveSamples ? readdirSync(samplesDir).filter(f => /\.(txt|md)$/.test(f)).sort() : []
  const golden = readGolden()
  const computed = new Map<string, string>()
  afterAll(() => {
    if (process.env.ACCORD_UPDATE_GOLDEN) {
      writeFileSync(goldenFile, [...computed].map(([f, h]) => `${h}  ${f}\n`).join(''))
    }
  })

  it('has a golden hash for every sample and no other', () => {
    if (process.env.ACCORD_UPDATE_GOLDEN) return
    expect([...golden.keys()].sort()).toEqual(files)
  })

  for (const file of files) {
    it(`${file}: golden hash, numbered points, idempotent re-import, balanced HTML`, () => {
      const source = readFileSync(path.join(samplesDir, file), 'utf8')
      const doc = importMarkdown(source)
      doc.check()
      const first = render(doc)
      computed.set(file, first.hash)
      const dump = process.env.ACCORD_CANONICAL_DUMP
      if (dump) {
        writeFileSync(path.join(dump, file + '.canonical.md'), first.markdown)
        writeFileSync(path.join(dump, file + '.canonical.html'), first.html)
      }
      if (!process.env.ACCORD_UPDATE_GOLDEN) expect(first.hash).toBe(golden.get(file))

      // Every item of every ordered list is a unit with its number, in order; and there are at
      // least as many as the source has numbered lines.
      const numbers = markerNumbers(first.markdown)
      expect(numbers).toEqual(itemNumbers(doc))
      const numbered = source.split('\n').filter(l => /^\s{0,3}\d{1,9}[.)]\s+\S/.test(l)).length
      expect(numbers.length).toBeGreaterThanOrEqual(numbered)

      // The canonical text is a fixed point of import + render.
      const again = render(importMarkdown(first.markdown))
      expect(again.markdown).toBe(first.markdown)
      expect(again.html).toBe(first.html)

      // HTML: only our tags, balanced, and every word of the document is in it.
      const text = checkHtml(first.html)
      const words = new Set(text.split(/\s+/))
      const missing = doc.textBetween(0, doc.content.size, ' ', ' ').split(/\s+/).filter(w => w && !words.has(w))
      expect(missing).toEqual([])
    })
  }
})
