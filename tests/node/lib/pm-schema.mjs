// The declaration schema (web-client/src/schema.ts) for Node, which cannot import TypeScript.
// Only what decides how y-prosemirror stores a document is repeated here: node and mark names,
// content expressions, groups, inline-ness and attributes with their defaults. The DOM parsing
// and rendering functions are left out (y-prosemirror never calls them).
// web-client/src/schema-mirror.test.ts asserts that this spec equals the TypeScript schema's,
// so the two cannot drift apart unnoticed.
import { PM } from './web-client-modules.mjs'

export const schemaSpec = {
  nodes: {
    doc: { content: 'block+' },
    paragraph: { group: 'block', content: 'inline*' },
    heading: { group: 'block', content: 'inline*', attrs: { level: { default: 1 } }, defining: true },
    blockquote: { group: 'block', content: 'block+', defining: true },
    ordered_list: { group: 'block', content: 'list_item+', attrs: { order: { default: 1 } } },
    bullet_list: { group: 'block', content: 'list_item+' },
    list_item: { content: 'paragraph block*', defining: true },
    text: { group: 'inline' },
    hard_break: { inline: true, group: 'inline', selectable: false }
  },
  marks: {
    strong: {},
    em: {},
    link: { attrs: { href: {}, title: { default: null } }, inclusive: false }
  }
}

export const schema = new PM.Schema(schemaSpec)
