import { describe, it, expect } from 'vitest'
import { cleanTree, type ParsedNode } from './safe-html'
import type { Child } from './diff-view'

// Builds parsed nodes as DOMParser would give them.
const txt = (s: string): ParsedNode => ({ nodeType: 3, nodeName: '#text', textContent: s, childNodes: [] })
const elm = (tag: string, attrs: Record<string, string>, ...children: ParsedNode[]): ParsedNode => ({
  nodeType: 1, nodeName: tag.toUpperCase(), textContent: null, childNodes: children, getAttribute: k => attrs[k] ?? null
})
const comment: ParsedNode = { nodeType: 8, nodeName: '#comment', textContent: 'x', childNodes: [] }

function html (c: Child[]): string {
  return c.map(n => typeof n === 'string' ? n
    : `<${n.tag}${Object.entries(n.attrs).map(([k, v]) => ` ${k}="${v}"`).join('')}>${html(n.children)}</${n.tag}>`).join('')
}

describe('safe HTML', () => {
  it('keeps the canonical HTML elements', () => {
    const out = cleanTree([
      elm('h1', {}, txt('Title')),
      elm('ol', { start: '3' }, elm('li', {}, elm('p', {}, txt('a '), elm('strong', {}, txt('b')), elm('br', {}), elm('em', {}, txt('c'))))),
      elm('blockquote', {}, elm('p', {}, elm('a', { href: 'https://example.org/?a=1&b=2', title: 'T' }, txt('link')))),
      elm('ul', {}, elm('li', {}))
    ])
    expect(html(out)).toBe('<h1>Title</h1><ol start="3"><li><p>a <strong>b</strong><br></br><em>c</em></p></li></ol>' +
      '<blockquote><p><a href="https://example.org/?a=1&b=2" title="T" rel="noopener noreferrer nofollow">link</a></p></blockquote><ul><li></li></ul>')
  })
  it('drops scripts, event handlers, styles and unknown elements (keeping their text)', () => {
    const out = cleanTree([
      elm('p', { onclick: 'alert(1)', style: 'x', class: 'y' }, txt('x'), elm('img', { src: 'x', onerror: 'alert(1)' }), elm('span', {}, txt('kept'))),
      elm('script', {}, txt('alert(2)')),
      elm('style', {}, txt('p{}')),
      elm('div', {}, elm('iframe', { src: 'https://evil' }, txt('frame')), txt('div text')),
      comment
    ])
    expect(html(out)).toBe('<p>xkept</p>div text')
  })
  it('keeps links only to http, https and mailto', () => {
    const links = ['javascript:alert(1)', ' JAVASCRIPT:x', 'data:text/html,x', 'vbscript:x', '/relative', 'mailto:a@example.org', 'HTTP://x.org']
    const out = cleanTree(links.map(href => elm('a', { href }, txt(href))))
    expect(html(out)).toBe('javascript:alert(1) JAVASCRIPT:xdata:text/html,xvbscript:x/relative' +
      '<a href="mailto:a@example.org" rel="noopener noreferrer nofollow">mailto:a@example.org</a>' +
      '<a href="HTTP://x.org" rel="noopener noreferrer nofollow">HTTP://x.org</a>')
  })
  it('keeps only a numeric start on lists', () => {
    expect(html(cleanTree([elm('ol', { start: '1;x' }), elm('ol', { start: '12', type: 'a' })]))).toBe('<ol></ol><ol start="12"></ol>')
  })
  it('leaves text as text: markup-like characters stay characters', () => {
    const out = cleanTree([elm('p', {}, txt('<script>alert(1)</script> & more'))])
    expect((out[0] as { children: Child[] }).children).toEqual(['<script>alert(1)</script> & more'])
  })
})
