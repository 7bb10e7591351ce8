// A version's HTML (server/drafting CANONICAL.md "HTML": p, br, h1–h3, blockquote, ol[start],
// ul, li, strong, em, a[href,title]) made safe to show. The server already escapes and limits
// it; the client still rebuilds it from a parse, keeping only those elements and attributes
// (links only to http:, https:, mailto:), so a server bug or a tampered answer cannot run
// script. Anything else is unwrapped to its text. `cleanTree` is pure over a minimal node
// interface (unit-tested without a DOM); `safeHtml` parses with DOMParser, which runs no
// script and loads nothing.
import { toDom, type Child, type VNode } from './diff-view'

/** What cleanTree reads of a parsed node (a subset of DOM's Node/Element). */
export interface ParsedNode {
  nodeType: number // 1 element, 3 text; others are dropped
  nodeName: string
  textContent: string | null
  childNodes: ArrayLike<ParsedNode>
  getAttribute?: (name: string) => string | null
}

const ALLOWED = new Set(['p', 'br', 'h1', 'h2', 'h3', 'blockquote', 'ol', 'ul', 'li', 'strong', 'em', 'a'])
// Dropped with their content: their text is not part of the statement.
const DROPPED = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math'])
const SAFE_HREF = /^(https?:|mailto:)/i

function attrsOf (tag: string, n: ParsedNode): Record<string, string> {
  const get = (k: string) => n.getAttribute?.(k) ?? null
  const out: Record<string, string> = {}
  if (tag === 'ol') {
    const start = get('start')
    if (start && /^[0-9]{1,9}$/.test(start)) out.start = start
  }
  if (tag === 'a') {
    const href = (get('href') ?? '').trim()
    if (SAFE_HREF.test(href)) out.href = href
    const title = get('title')
    if (title) out.title = title
    out.rel = 'noopener noreferrer nofollow'
  }
  return out
}

export function cleanTree (nodes: ArrayLike<ParsedNode>): Child[] {
  const out: Child[] = []
  for (const n of Array.from(nodes)) {
    if (n.nodeType === 3) { if (n.textContent) out.push(n.textContent); continue }
    if (n.nodeType !== 1) continue
    const tag = n.nodeName.toLowerCase()
    if (DROPPED.has(tag)) continue
    const children = cleanTree(n.childNodes)
    if (!ALLOWED.has(tag)) { out.push(...children); continue }
    const attrs = attrsOf(tag, n)
    // A link to anything else keeps its text, as the server does.
    if (tag === 'a' && !attrs.href) { out.push(...children); continue }
    const v: VNode = { tag, attrs, children: tag === 'br' ? [] : children }
    out.push(v)
  }
  return out
}

/** The version's HTML as a fragment of fresh elements. */
export function safeHtml (html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html')
  const frag = document.createDocumentFragment()
  for (const c of cleanTree(parsed.body.childNodes as unknown as ArrayLike<ParsedNode>)) {
    frag.append(typeof c === 'string' ? document.createTextNode(c) : toDom(c))
  }
  return frag
}
