// The comments panel of issue 7 "Discussion": threads (a comment and its replies) on the
// paragraphs of the live draft or on one amendment, with author, organization and time; a
// form to comment, replies, and resolve / reopen for the statement secretariat. On the draft
// each thread is anchored to the text (comment-threads.ts): the list follows the anchors'
// order in the text as it changes, paragraphs with open threads carry a marker (a decoration
// of commentsPlugin(), which the editor installs), a thread whose text was deleted says it is
// detached, and "Go to the text" (or a click on the thread) puts the cursor on its anchor.
// Resolved threads are collapsed behind a toggle. New comments from others are fetched every
// `pollMs` and announced in a polite live region. Mount it anywhere:
//   const panel = commentsPanel({ slug, amendment: 3, canComment, canResolve }); host.append(panel.element)
import type * as Y from 'yjs'
import { Plugin, PluginKey, TextSelection, type EditorState } from 'prosemirror-state'
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { formAlert, onSubmit, showProblem, clearErrors } from './forms'
import { formatDate, problemView } from './model'
import {
  anchorAt, anchorAttached, anchorPosition, blockAt, buildThreads, decodeAnchor, excerpt, orderThreads,
  type Comment, type PMMapping, type Thread
} from './comment-threads'

export { commentRights } from './comment-threads'
export type { Comment, Thread } from './comment-threads'

export interface CommentsOptions {
  slug: string
  /** Comments on this amendment; without it, comments on the paragraphs of the live draft. */
  amendment?: number
  /** The live draft's document, its "prosemirror" fragment and editor (paragraph comments). */
  ydoc?: Y.Doc
  fragment?: Y.XmlFragment
  view?: EditorView
  canComment: boolean
  canResolve: boolean
  /** How often to look for others' comments (ms); 0 = only on demand. */
  pollMs?: number
}

export interface CommentsPanel {
  element: HTMLElement
  /** Asks the server again (new comments are announced). */
  refresh (): Promise<void>
  setRights (r: { canComment: boolean, canResolve: boolean }): void
  destroy (): void
}

// ---------------------------------------------------------------------------------------------
// The editor side: markers on commented paragraphs, Ctrl+Alt+M, and change notifications.

const markersKey = new PluginKey<DecorationSet>('accord-comments')
interface EditorHooks { changed (view: EditorView, prev: EditorState): void, commentHere (): void }
const hooks = new WeakMap<EditorView, EditorHooks>()

/** The plugin the editor installs; a panel with `view` draws its markers through it. */
export function commentsPlugin (): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: markersKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => (tr.getMeta(markersKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc)
    },
    props: {
      decorations: state => markersKey.getState(state),
      handleKeyDown (view, e) {
        const h = hooks.get(view)
        if (!h || !e.altKey || !(e.ctrlKey || e.metaKey) || e.code !== 'KeyM') return false
        e.preventDefault()
        h.commentHere()
        return true
      }
    },
    view: () => ({ update: (view, prev) => hooks.get(view)?.changed(view, prev) })
  })
}

function mappingOf (view: EditorView): PMMapping | null {
  return (ySyncPluginKey.getState(view.state) as { binding?: { mapping?: PMMapping } } | undefined)?.binding?.mapping ?? null
}

// ---------------------------------------------------------------------------------------------

let panels = 0
const when = (iso: string): string => formatDate(iso, currentLanguage())
const who = (a: { name: string, organization_name?: string | null }): string =>
  a.organization_name ? tf('commentAuthorOrg', { name: a.name, org: a.organization_name }) : a.name

interface ThreadView { li: HTMLLIElement, sig: string, expanded: boolean, reply: HTMLFormElement, replyAlert: HTMLElement, alert: HTMLElement }

export function commentsPanel (opts: CommentsOptions): CommentsPanel {
  const n = ++panels
  const id = (s: string) => `comments${n > 1 ? n : ''}-${s}`
  const base = `/statements/${encodeURIComponent(opts.slug)}/comments`
  const onDraft = opts.amendment === undefined && !!opts.view && !!opts.ydoc && !!opts.fragment
  let rights = { canComment: opts.canComment, canResolve: opts.canResolve }

  let comments: Comment[] = []
  let threads: Thread[] = []
  const positions = new Map<number, number | null>() // root id -> ProseMirror position (null: detached/unknown)
  const known = new Set<number>()
  const fresh = new Set<number>() // arrived from others at the last refresh
  let loaded = false
  let active: number | null = null
  const views = new Map<number, ThreadView>()

  const live = el('p', { className: 'hint comments-live', id: id('live'), role: 'status', 'aria-live': 'polite' })
  const count = el('p', { className: 'hint', id: id('count') })
  const loadAlert = el('p', { className: 'notice', role: 'alert', id: id('load-alert'), hidden: true })
  const list = el('ol', { className: 'threads', id: id('threads'), 'aria-labelledby': id('h') })
  const none = el('p', { className: 'hint', id: id('none'), hidden: true }, t('commentsNone'))
  const refreshBtn = el('button', { type: 'button', id: id('refresh') }, t('commentsRefresh'))
  const readOnlyNote = el('p', { className: 'hint', id: id('read-only'), hidden: true }, t('commentsReadOnly'))

  // The new-comment form.
  const where = el('p', { className: 'comment-where', id: id('where') })
  const hint = el('span', { className: 'hint', id: id('hint') }, t('commentHint'))
  const body = el('textarea', { id: id('new-body'), name: 'body', rows: 3, maxLength: 4000, required: true, ...(onDraft ? { 'aria-describedby': `${id('where')} ${id('hint')}` } : {}) })
  const newAlert = formAlert(id('new-alert'))
  const submit = el('button', { type: 'submit', id: id('new-submit') }, onDraft ? t('commentOnParagraph') : opts.amendment !== undefined ? t('commentOnAmendment') : t('commentNew'))
  const form = el('form', { className: 'comment-form', id: id('new'), 'aria-labelledby': id('new-h') },
    el('h3', { id: id('new-h') }, t('commentNew')), newAlert, ...(onDraft ? [where] : []),
    el('div', { className: 'field' }, el('label', { for: body.id }, t('commentBody')), ...(onDraft ? [hint] : []), body,
      el('span', { className: 'field-error', id: `${body.id}-error`, hidden: true })),
    submit)

  const element = el('section', { className: 'comments-panel', id: id('panel'), 'aria-labelledby': id('h') },
    el('h2', { id: id('h') }, t('comments')),
    el('p', { className: 'hint' }, opts.amendment !== undefined ? t('commentsIntroAmendment') : t('commentsIntro')),
    count, live, loadAlert, readOnlyNote, form, el('p', {}, refreshBtn), none, list)

  const say = (msg: string) => { live.textContent = ''; setTimeout(() => { live.textContent = msg }, 30) }

  // --- Positions and markers (draft only) ----------------------------------------------------

  const place = () => {
    positions.clear()
    if (!onDraft) return
    const view = opts.view!
    const mapping = mappingOf(view)
    for (const th of threads) {
      const target = th.root.target
      positions.set(th.root.id, target.kind === 'paragraph' && mapping ? anchorPosition(opts.ydoc!, opts.fragment!, target.anchor, mapping, view.state.doc) : null)
    }
  }
  const detached = (th: Thread): boolean => {
    const target = th.root.target
    if (target.kind !== 'paragraph') return false
    if (!onDraft) return !target.attached
    const rpos = decodeAnchor(target.anchor)
    const here = rpos ? anchorAttached(opts.ydoc!, opts.fragment!, rpos) : false
    return here === null ? !target.attached : !here
  }
  const drawMarkers = () => {
    if (!onDraft) return
    const view = opts.view!
    // Not in the middle of an IME composition: try again a little later.
    if (view.composing) { setTimeout(drawMarkers, 300); return }
    const doc = view.state.doc
    const blocks = new Map<number, { count: number, active: boolean }>()
    for (const th of threads) {
      const pos = positions.get(th.root.id)
      if (pos == null || (th.root.resolved && th.root.id !== active)) continue
      const b = blockAt(doc, pos)
      if (!b) continue
      const m = blocks.get(b.start) ?? { count: 0, active: false }
      if (!th.root.resolved) m.count++
      if (th.root.id === active) m.active = true
      blocks.set(b.start, m)
    }
    const decos: Decoration[] = []
    for (const [start, m] of blocks) {
      const node = doc.nodeAt(start)
      if (!node) continue
      decos.push(Decoration.node(start, start + node.nodeSize, {
        class: `commented${m.active ? ' comment-active' : ''}`, 'data-comments': String(m.count), title: tf('commentMarker', { n: String(m.count) })
      }))
    }
    view.dispatch(view.state.tr.setMeta(markersKey, DecorationSet.create(doc, decos)).setMeta('addToHistory', false))
  }
  const showWhere = () => {
    if (!onDraft) return
    const view = opts.view!
    const b = blockAt(view.state.doc, view.state.selection.from)
    where.textContent = !b ? t('commentWhereNone') : b.text.trim() ? tf('commentWhere', { excerpt: excerpt(b.text, 60) }) : t('commentWhereEmpty')
  }

  // --- Threads ---------------------------------------------------------------------------------

  const goTo = (th: Thread) => {
    const pos = positions.get(th.root.id)
    if (!onDraft || pos == null) return
    const view = opts.view!
    active = th.root.id
    views.forEach((v, k) => v.li.classList.toggle('active', k === active))
    view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(pos))).scrollIntoView())
    view.focus()
    drawMarkers()
  }

  const signature = (th: Thread) => JSON.stringify([th.root, th.replies, detached(th), rights, positions.get(th.root.id) == null, onDraft && th.root.target.kind === 'paragraph' && positions.get(th.root.id) != null
    ? blockAt(opts.view!.state.doc, positions.get(th.root.id)!)?.text : ''])

  const commentItem = (c: Comment, first: boolean): HTMLElement => {
    const meta = el('p', { className: 'comment-meta' })
    if (!first) meta.append(el('strong', { className: 'comment-author' }, who(c.author)), ' · ')
    meta.append(el('time', { dateTime: c.created_at }, when(c.created_at)))
    if (fresh.has(c.id)) meta.append(' ', el('span', { className: 'badge comment-new' }, t('commentNewBadge')))
    return el('li', { className: 'comment', 'data-comment': String(c.id) }, meta, el('p', { className: 'comment-body' }, c.body))
  }

  const viewFor = (th: Thread): ThreadView => {
    let v = views.get(th.root.id)
    if (v) return v
    const rid = th.root.id
    const textarea = el('textarea', { id: id(`reply-${rid}-body`), name: 'body', rows: 2, maxLength: 4000, required: true })
    const replyAlert = formAlert(id(`reply-${rid}-alert`))
    const cancel = el('button', { type: 'button', className: 'reply-cancel' }, t('cancel'))
    const reply = el('form', { className: 'reply-form', id: id(`reply-${rid}`), hidden: true }, replyAlert,
      el('div', { className: 'field' }, el('label', { for: textarea.id, className: 'reply-label' }), textarea,
        el('span', { className: 'field-error', id: `${textarea.id}-error`, hidden: true })),
      el('div', { className: 'actions' }, el('button', { type: 'submit' }, t('commentSendReply')), cancel))
    cancel.addEventListener('click', () => {
      reply.hidden = true
      clearErrors(reply, replyAlert)
      views.get(rid)?.li.querySelector<HTMLElement>('.thread-reply')?.focus()
    })
    onSubmit(reply, async data => {
      const text = String(data.get('body') ?? '').trim()
      if (!text) { textarea.focus(); return }
      const r = await api('POST', base, { body: text, parent_id: rid })
      if (r.status !== 201) { showProblem(reply, replyAlert, r); return }
      textarea.value = ''
      reply.hidden = true
      clearErrors(reply, replyAlert)
      add(r.body as Comment)
      say(t('commentReplyAdded'))
      views.get(rid)?.li.querySelector<HTMLElement>('.thread-reply')?.focus()
    })
    const li = el('li', { className: 'thread', 'data-thread': String(rid) })
    // A click on the thread's text (not on its controls) goes to its anchor.
    li.addEventListener('click', e => {
      if ((e.target as HTMLElement).closest('button, a, form, textarea, input')) return
      const cur = threads.find(x => x.root.id === rid)
      if (cur) goTo(cur)
    })
    v = { li, sig: '', expanded: false, reply, replyAlert, alert: el('p', { className: 'notice', role: 'alert', hidden: true }) }
    views.set(rid, v)
    return v
  }

  // Redrawing a thread (a reply arrived, it was resolved) keeps the focus where it was: the
  // reply being typed stays focused, a focused button's successor takes the focus.
  const drawThread = (th: Thread, v: ThreadView) => {
    const focused = document.activeElement as HTMLElement | null
    const inReply = !!focused && v.reply.contains(focused)
    const focusClass = focused && !inReply && v.li.contains(focused) ? focused.classList[0] : null
    drawThreadNow(th, v)
    if (inReply && document.activeElement !== focused) focused!.focus()
    else if (focusClass) v.li.querySelector<HTMLElement>(`.${focusClass}`)?.focus()
  }
  const drawThreadNow = (th: Thread, v: ThreadView) => {
    const rid = th.root.id
    const name = th.root.author.name
    const resolved = th.root.resolved
    const isDetached = detached(th)
    const head = el('div', { className: 'thread-head' },
      el('h3', { className: 'thread-title', id: id(`thread-${rid}-h`) }, who(th.root.author)))
    const target = th.root.target
    if (isDetached) head.append(el('p', { className: 'thread-detached' }, el('strong', {}, t('commentDetached'))))
    else if (target.kind === 'paragraph') {
      const pos = positions.get(rid)
      const text = onDraft && pos != null ? blockAt(opts.view!.state.doc, pos)?.text ?? '' : target.excerpt
      if (text.trim()) head.append(el('p', { className: 'thread-where' }, tf('commentThreadOn', { excerpt: excerpt(text, 60) })))
    } else if (opts.amendment === undefined) head.append(el('p', { className: 'thread-where' }, tf('commentThreadOnAmendment', { n: String(target.number) })))
    const bodyId = id(`thread-${rid}-body`)
    if (resolved) {
      head.append(el('p', { className: 'thread-resolved' }, el('strong', {}, tf('commentResolvedBy', { name: resolved.by.name, time: when(resolved.at) }))))
      const toggle = el('button', { type: 'button', className: 'thread-toggle', 'aria-expanded': String(v.expanded), 'aria-controls': bodyId },
        v.expanded ? t('commentHideThread') : t('commentShowThread'))
      toggle.addEventListener('click', () => {
        v.expanded = !v.expanded
        drawThread(th, v)
      })
      head.append(toggle)
      const k = th.replies.length
      if (k) head.append(' ', el('span', { className: 'hint' }, k === 1 ? t('commentReplies1') : tf('commentRepliesN', { n: String(k) })))
    }
    const actions = el('div', { className: 'actions thread-actions' })
    const label = (action: string) => tf('commentThreadActionLabel', { action, name })
    if (onDraft && !isDetached && positions.get(rid) != null) {
      const go = el('button', { type: 'button', className: 'thread-goto', 'aria-label': tf('commentGoToLabel', { name }) }, t('commentGoTo'))
      go.addEventListener('click', () => goTo(th))
      actions.append(go)
    }
    if (rights.canComment && !resolved) {
      const rb = el('button', { type: 'button', className: 'thread-reply', 'aria-label': label(t('commentReply')), 'aria-expanded': String(!v.reply.hidden), 'aria-controls': v.reply.id }, t('commentReply'))
      rb.addEventListener('click', () => {
        v.reply.hidden = !v.reply.hidden
        rb.setAttribute('aria-expanded', String(!v.reply.hidden))
        if (!v.reply.hidden) v.reply.querySelector('textarea')!.focus()
      })
      actions.append(rb)
    } else v.reply.hidden = true
    if (rights.canResolve) {
      const rs = el('button', { type: 'button', className: resolved ? 'thread-reopen' : 'thread-resolve', 'aria-label': label(resolved ? t('commentReopen') : t('commentResolve')) },
        resolved ? t('commentReopen') : t('commentResolve'))
      rs.addEventListener('click', async () => {
        rs.disabled = true
        const r = await api('PATCH', `${base}/${rid}`, { resolved: !resolved })
        rs.disabled = false
        if (r.status !== 200) { v.alert.textContent = problemView(r.status, r.body).message; v.alert.hidden = false; return }
        v.alert.hidden = true
        v.expanded = false
        replace(r.body as Comment)
        say(resolved ? t('commentReopenedDone') : t('commentResolvedDone'))
        v.li.querySelector<HTMLElement>(resolved ? '.thread-resolve' : '.thread-toggle')?.focus()
      })
      actions.append(rs)
    }
    const items = el('ol', { className: 'thread-comments', 'aria-label': who(th.root.author) },
      commentItem(th.root, true), ...th.replies.map(c => commentItem(c, false)))
    const threadBody = el('div', { className: 'thread-body', id: bodyId, hidden: !!resolved && !v.expanded }, items, actions, v.reply)
    const label2 = v.reply.querySelector('.reply-label')
    if (label2) label2.textContent = tf('commentReplyLabel', { name })
    const article = el('article', { className: 'thread-card', 'aria-labelledby': id(`thread-${rid}-h`) }, head, v.alert, threadBody)
    v.li.replaceChildren(article)
    v.li.dataset.state = resolved ? 'resolved' : 'open'
    v.li.dataset.attached = String(!isDetached)
    v.li.classList.toggle('active', rid === active)
    v.sig = signature(th)
  }

  const draw = () => {
    threads = buildThreads(comments)
    place()
    const ordered = onDraft ? orderThreads(threads, th => detached(th) ? null : positions.get(th.root.id) ?? null) : threads
    const seen = new Set<number>()
    ordered.forEach((th, i) => {
      const v = viewFor(th)
      seen.add(th.root.id)
      if (v.sig !== signature(th)) drawThread(th, v)
      if (list.children[i] !== v.li) list.insertBefore(v.li, list.children[i] ?? null)
    })
    for (const [k, v] of views) if (!seen.has(k)) { v.li.remove(); views.delete(k) }
    const open = threads.filter(th => !th.root.resolved).length
    count.textContent = tf('commentsCount', { open: String(open), resolved: String(threads.length - open) })
    none.hidden = threads.length > 0
    form.hidden = !rights.canComment
    readOnlyNote.hidden = rights.canComment
    drawMarkers()
    showWhere()
  }

  const add = (c: Comment) => {
    known.add(c.id)
    if (!comments.some(x => x.id === c.id)) comments.push(c)
    draw()
  }
  const replace = (c: Comment) => {
    comments = comments.map(x => x.id === c.id ? c : x)
    draw()
  }

  const refresh = async () => {
    const query = opts.amendment !== undefined ? `?amendment=${opts.amendment}` : '?target=paragraph'
    const r = await api('GET', base + query)
    if (r.status !== 200) {
      loadAlert.textContent = t('commentsFailed')
      loadAlert.hidden = false
      return
    }
    loadAlert.hidden = true
    const next: Comment[] = r.body?.comments ?? []
    const arrived = next.filter(c => !known.has(c.id))
    fresh.clear()
    if (loaded) arrived.forEach(c => fresh.add(c.id))
    arrived.forEach(c => known.add(c.id))
    comments = next
    draw()
    if (loaded && arrived.length) say(arrived.length === 1 ? t('commentsNew1') : tf('commentsNewN', { n: String(arrived.length) }))
    loaded = true
  }

  onSubmit(form, async data => {
    const text = String(data.get('body') ?? '').trim()
    if (!text) { body.focus(); return }
    const payload: Record<string, unknown> = { body: text }
    if (opts.amendment !== undefined) payload.amendment = opts.amendment
    else if (onDraft) {
      const view = opts.view!
      const mapping = mappingOf(view)
      try {
        if (!mapping) throw new Error('no y-prosemirror binding')
        payload.anchor = anchorAt(view.state.doc, view.state.selection.from, opts.fragment!, mapping)
      } catch {
        newAlert.textContent = t('somethingWrong')
        newAlert.hidden = false
        return
      }
    }
    const r = await api('POST', base, payload)
    if (r.status !== 201) { showProblem(form, newAlert, r); return }
    clearErrors(form, newAlert)
    body.value = ''
    add(r.body as Comment)
    say(t('commentAdded'))
  })
  refreshBtn.addEventListener('click', () => { void refresh() })

  // The draft changes: place the threads again (at most every 200 ms), re-order, re-mark.
  let timer: ReturnType<typeof setTimeout> | null = null
  if (onDraft) {
    hooks.set(opts.view!, {
      changed (view, prev) {
        if (!view.state.selection.eq(prev.selection) || !view.state.doc.eq(prev.doc)) showWhere()
        if (view.state.doc.eq(prev.doc) || timer) return
        timer = setTimeout(() => { timer = null; draw() }, 200)
      },
      commentHere () { body.focus() }
    })
    showWhere()
  }
  const poll = opts.pollMs ?? 15000
  // Polls while the panel is on the page; once a screen change has taken it away, it stops.
  const interval: ReturnType<typeof setInterval> | null = poll > 0
    ? setInterval(() => {
      if (!element.isConnected) { clearInterval(interval!); return }
      if (document.visibilityState === 'visible') void refresh()
    }, poll)
    : null
  void refresh()

  return {
    element,
    refresh,
    setRights (r) { rights = { ...r }; draw() },
    destroy () {
      if (interval) clearInterval(interval)
      if (timer) clearTimeout(timer)
      if (onDraft) hooks.delete(opts.view!)
      element.remove()
    }
  }
}
