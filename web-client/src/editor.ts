// The live editor: ProseMirror bound to the shared Y.XmlFragment "prosemirror" via y-prosemirror,
// with remote cursors from awareness, collaborative undo and a keyboard-accessible toolbar.
import { EditorState, type Command } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { keymap } from 'prosemirror-keymap'
import { baseKeymap, toggleMark, setBlockType, wrapIn, lift } from 'prosemirror-commands'
import { wrapInList, splitListItem, liftListItem, sinkListItem } from 'prosemirror-schema-list'
import { ySyncPlugin, yCursorPlugin, yUndoPlugin, undoCommand as undo, redoCommand as redo } from 'y-prosemirror'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { Node as PMNode, MarkType } from 'prosemirror-model'
import { schema } from './schema'
import { authorshipPlugin } from './authorship'
import { commentsPlugin } from './comments'
import { t, type MessageKey } from './i18n'

export const FRAGMENT_NAME = 'prosemirror'

export interface Editor { view: EditorView, setReadOnly (ro: boolean): void, appendDoc (doc: PMNode): void }

function markActive (state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection
  return empty ? !!type.isInSet(state.storedMarks || $from.marks()) : state.doc.rangeHasMark(from, to, type)
}

const toggleLink: Command = (state, dispatch) => {
  const link = schema.marks.link
  if (markActive(state, link)) return toggleMark(link)(state, dispatch)
  if (state.selection.empty) return false
  if (!dispatch) return true
  const href = window.prompt(t('linkPrompt'))
  if (!href) return false
  return toggleMark(link, { href })(state, dispatch)
}

interface Tool { key: MessageKey, label: string, cmd: Command, active?: (s: EditorState) => boolean }

export function createEditor (host: HTMLElement, toolbarHost: HTMLElement, fragment: Y.XmlFragment, awareness: Awareness): Editor {
  let readOnly = false
  const tools: Tool[] = [
    { key: 'bold', label: 'B', cmd: toggleMark(schema.marks.strong), active: s => markActive(s, schema.marks.strong) },
    { key: 'italic', label: 'I', cmd: toggleMark(schema.marks.em), active: s => markActive(s, schema.marks.em) },
    { key: 'link', label: '↗', cmd: toggleLink, active: s => markActive(s, schema.marks.link) },
    { key: 'paragraph', label: '¶', cmd: setBlockType(schema.nodes.paragraph) },
    { key: 'heading1', label: 'H1', cmd: setBlockType(schema.nodes.heading, { level: 1 }) },
    { key: 'heading2', label: 'H2', cmd: setBlockType(schema.nodes.heading, { level: 2 }) },
    { key: 'heading3', label: 'H3', cmd: setBlockType(schema.nodes.heading, { level: 3 }) },
    { key: 'orderedList', label: '1.', cmd: wrapInList(schema.nodes.ordered_list) },
    { key: 'bulletList', label: '•', cmd: wrapInList(schema.nodes.bullet_list) },
    { key: 'blockquote', label: '❝', cmd: wrapIn(schema.nodes.blockquote) },
    { key: 'undo', label: '↶', cmd: undo },
    { key: 'redo', label: '↷', cmd: redo }
  ]
  toolbarHost.setAttribute('role', 'toolbar')
  toolbarHost.setAttribute('aria-label', t('toolbar'))
  const buttons = tools.map((tool, i) => {
    const b = document.createElement('button')
    b.type = 'button'
    b.textContent = tool.label
    b.setAttribute('aria-label', t(tool.key))
    b.title = t(tool.key)
    b.dataset.tool = tool.key
    b.tabIndex = i === 0 ? 0 : -1 // roving tabindex: one Tab stop, arrows move inside
    b.addEventListener('mousedown', e => e.preventDefault()) // keep the editor selection
    b.addEventListener('click', () => { tool.cmd(view.state, view.dispatch, view); view.focus() })
    toolbarHost.appendChild(b)
    return b
  })
  toolbarHost.addEventListener('keydown', e => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement)
    if (i < 0) return
    let j = i
    if (e.key === 'ArrowRight') j = (i + 1) % buttons.length
    else if (e.key === 'ArrowLeft') j = (i - 1 + buttons.length) % buttons.length
    else if (e.key === 'Home') j = 0
    else if (e.key === 'End') j = buttons.length - 1
    else return
    e.preventDefault()
    buttons[i].tabIndex = -1; buttons[j].tabIndex = 0; buttons[j].focus()
  })

  const refreshToolbar = (state: EditorState) => {
    tools.forEach((tool, i) => {
      const b = buttons[i]
      b.disabled = readOnly || !tool.cmd(state, undefined)
      if (tool.active) b.setAttribute('aria-pressed', String(tool.active(state)))
    })
  }

  const state = EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(fragment),
      yCursorPlugin(awareness),
      yUndoPlugin(),
      authorshipPlugin(),
      commentsPlugin(),
      keymap({
        'Mod-z': undo, 'Mod-y': redo, 'Mod-Shift-z': redo,
        'Mod-b': toggleMark(schema.marks.strong), 'Mod-i': toggleMark(schema.marks.em), 'Mod-k': toggleLink,
        Enter: splitListItem(schema.nodes.list_item),
        'Mod-[': liftListItem(schema.nodes.list_item), 'Mod-]': sinkListItem(schema.nodes.list_item),
        'Mod-Shift-7': wrapInList(schema.nodes.ordered_list), 'Mod-Shift-8': wrapInList(schema.nodes.bullet_list),
        'Mod-Shift-9': lift
      }),
      keymap(baseKeymap)
    ]
  })
  const view: EditorView = new EditorView(host, {
    state,
    editable: () => !readOnly,
    attributes: { 'aria-label': t('editorLabel'), 'aria-multiline': 'true', role: 'textbox', class: 'accord-editor' },
    // `this`, not `view`: y-prosemirror dispatches while the view is still being constructed.
    dispatchTransaction (this: EditorView, tr) {
      const next = this.state.apply(tr)
      this.updateState(next)
      if (buttons.length) refreshToolbar(next)
    }
  })
  refreshToolbar(view.state)

  return {
    view,
    setReadOnly (ro: boolean) {
      readOnly = ro
      view.setProps({ editable: () => !readOnly })
      view.dom.setAttribute('aria-readonly', String(ro))
      refreshToolbar(view.state)
    },
    appendDoc (doc: PMNode) {
      const tr = view.state.tr.insert(view.state.doc.content.size, doc.content)
      view.dispatch(tr.scrollIntoView())
    }
  }
}
