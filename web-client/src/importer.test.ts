import { describe, it, expect } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { importMarkdown } from './importer'

const samplesDir = path.resolve(__dirname, '../../../shared/samples')
const haveSamples = existsSync(samplesDir)

function count (doc: ReturnType<typeof importMarkdown>, type: string): number {
  let n = 0
  doc.descendants(node => { if (node.type.name === type) n++ })
  return n
}

describe('importMarkdown', () => {
  it('keeps numbered points, bullets, headings, marks and links', () => {
    const doc = importMarkdown('# Title\n\nWe **declare**, *firmly*, [here](https://x.org):\n\n3. third\n4. fourth\n\n- a\n- b\n\n> quoted\n')
    doc.check()
    expect(doc.child(0).type.name).toBe('heading')
    const ol = doc.child(2)
    expect(ol.type.name).toBe('ordered_list')
    expect(ol.attrs.order).toBe(3)
    expect(ol.childCount).toBe(2)
    expect(doc.child(3).type.name).toBe('bullet_list')
    expect(doc.child(4).type.name).toBe('blockquote')
    const marks = new Set<string>()
    doc.descendants(n => { n.marks.forEach(m => marks.add(m.type.name)) })
    expect([...marks].sort()).toEqual(['em', 'link', 'strong'])
  })

  it('reads plain text paragraphs and "1)" points', () => {
    const doc = importMarkdown('First paragraph\ncontinues.\n\n1) One\n2) Two\n')
    doc.check()
    expect(doc.child(0).textContent).toBe('First paragraph continues.')
    expect(doc.child(1).type.name).toBe('ordered_list')
    expect(doc.child(1).childCount).toBe(2)
  })

  it('never produces an empty document', () => {
    expect(importMarkdown('').childCount).toBe(1)
  })

  describe.skipIf(!haveSamples)(`samples in ${samplesDir} (skipped when ../shared is absent)`, () => {
    const files = haveSamples ? readdirSync(samplesDir).filter(f => /\.(txt|md)$/.test(f)) : []
    for (const file of files) {
      it(`imports ${file} without losing words or lists`, () => {
        const text = readFileSync(path.join(samplesDir, file), 'utf8')
        const doc = importMarkdown(text)
        doc.check()
        // Every numbered line of the source ("1." or "1)" at line start) is a list item.
        const numbered = text.split('\n').filter(l => /^\s{0,3}\d{1,9}[.)]\s+\S/.test(l)).length
        const bullets = text.split('\n').filter(l => /^\s{0,3}[-*+]\s+\S/.test(l)).length
        expect(count(doc, 'list_item')).toBeGreaterThanOrEqual(numbered + bullets)
        if (numbered > 0) expect(count(doc, 'ordered_list')).toBeGreaterThan(0)
        // No words lost: every word of the source (markup stripped) occurs in the result.
        const words = (s: string) => s.replace(/[\\*_#>`[\]()]/g, ' ').split(/\s+/).filter(w => /^[\p{L}]{4,}$/u.test(w))
        const got = new Set(words(doc.textBetween(0, doc.content.size, ' ', ' ')))
        const missing = words(text).filter(w => !got.has(w))
        expect(missing.length / Math.max(1, words(text).length)).toBeLessThan(0.01)
      })
    }
  })
})
