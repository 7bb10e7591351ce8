// Markdown / plain text → ProseMirror document in the declaration schema. Plain text is read as
// Markdown too: blank-line-separated paragraphs, "1." / "1)" numbered points and "-" / "*"
// bullets become lists (numbering start kept). Whatever the schema lacks (code, images, HTML,
// tables) degrades to plain paragraphs/text so no words are lost.
import MarkdownIt from 'markdown-it'
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number]
import { Node as PMNode, Mark } from 'prosemirror-model'
import { schema } from './schema'

const md = new MarkdownIt('commonmark', { html: false, linkify: false })

interface Frame { type: string, attrs: Record<string, unknown>, content: PMNode[] }

function inlineNodes (tokens: Token[]): PMNode[] {
  const out: PMNode[] = []
  let marks: readonly Mark[] = []
  const text = (s: string) => { if (s) out.push(schema.text(s, marks)) }
  for (const tok of tokens) {
    switch (tok.type) {
      case 'text': case 'code_inline': case 'html_inline': text(tok.content); break
      case 'softbreak': text(' '); break
      case 'hardbreak': out.push(schema.nodes.hard_break.create()); break
      case 'strong_open': marks = schema.marks.strong.create().addToSet(marks); break
      case 'strong_close': marks = schema.marks.strong.removeFromSet(marks); break
      case 'em_open': marks = schema.marks.em.create().addToSet(marks); break
      case 'em_close': marks = schema.marks.em.removeFromSet(marks); break
      case 'link_open': marks = schema.marks.link.create({ href: tok.attrGet('href') ?? '', title: tok.attrGet('title') }).addToSet(marks); break
      case 'link_close': marks = schema.marks.link.removeFromSet(marks); break
      case 'image': text(tok.content || String(tok.attrGet('alt') ?? '')); break
      default: if (tok.content) text(tok.content)
    }
  }
  return out
}

const blockOpen: Record<string, (tok: Token) => Frame> = {
  paragraph_open: () => ({ type: 'paragraph', attrs: {}, content: [] }),
  heading_open: tok => ({ type: 'heading', attrs: { level: Math.min(3, Number(tok.tag.slice(1))) }, content: [] }),
  blockquote_open: () => ({ type: 'blockquote', attrs: {}, content: [] }),
  bullet_list_open: () => ({ type: 'bullet_list', attrs: {}, content: [] }),
  ordered_list_open: tok => ({ type: 'ordered_list', attrs: { order: Number(tok.attrGet('start') ?? 1) }, content: [] }),
  list_item_open: () => ({ type: 'list_item', attrs: {}, content: [] })
}

/** Parses Markdown (or plain text) into a `doc` node. */
export function importMarkdown (source: string): PMNode {
  const tokens = md.parse(source.replace(/\r\n?/g, '\n'), {})
  const stack: Frame[] = [{ type: 'doc', attrs: {}, content: [] }]
  const top = () => stack[stack.length - 1]
  const para = (s: string) => schema.nodes.paragraph.create(null, s ? schema.text(s) : null)
  for (const tok of tokens) {
    if (blockOpen[tok.type]) { stack.push(blockOpen[tok.type](tok)); continue }
    if (tok.nesting === -1) {
      const f = stack.pop()!
      const type = schema.nodes[f.type]
      let content = f.content
      if (f.type === 'list_item' && (content.length === 0 || content[0].type !== schema.nodes.paragraph)) {
        content = [schema.nodes.paragraph.create(), ...content]
      }
      if ((f.type === 'blockquote') && content.length === 0) content = [para('')]
      top().content.push(type.create(f.attrs, content))
      continue
    }
    switch (tok.type) {
      case 'inline': top().content.push(...inlineNodes(tok.children ?? [])); break
      case 'fence': case 'code_block': case 'html_block':
        for (const line of tok.content.split('\n')) if (line.trim()) top().content.push(para(line))
        break
      case 'hr': break
    }
  }
  const doc = stack[0].content
  return schema.nodes.doc.create(null, doc.length ? doc : [para('')])
}
