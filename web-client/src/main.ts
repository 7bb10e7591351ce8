// App shell. Routes: "/" (signed in: your statements; else open one with a token), "/signin",
// "/invite#TOKEN" and "/reset#TOKEN" (account.ts), "/d/<name>[?token=…]" (workspace: with the
// session cookie when signed in, else with an API token). Each screen is a function rendering
// into #app. With a token and no account, who you are (name, organization) is asked once and
// stored in localStorage.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as decoding from 'lib0/decoding'
import * as authProtocol from 'y-protocols/auth'
import { chooseLanguage, languages, setLanguage, t, type MessageKey } from './i18n'
import { SavedState, type SavedStatus } from './saved-state'
import { createEditor, FRAGMENT_NAME } from './editor'
import { importMarkdown } from './importer'
import { el } from './dom'
import { currentUser, homeScreen, linkScreen, signInScreen, type Me } from './account'
import './style.css'

const MESSAGE_AUTH = 2
const MESSAGE_SAVED = 100 // accordd ?ext=saved: [varUint 100][varUint8Array stateVector]
const COLORS = ['#b3261e', '#1d6b38', '#1a4fa0', '#8a3ea8', '#a35a00', '#00707a', '#6b5b00', '#c2185b']

const app = document.getElementById('app')!
let lang = chooseLanguage(localStorage.getItem('accord.lang'), navigator.languages ?? [navigator.language])
setLanguage(lang)
document.documentElement.lang = lang

function header (extra: Node[] = []): HTMLElement {
  const select = el('select', { 'aria-label': t('language'), id: 'lang' })
  for (const l of languages) select.append(el('option', { value: l, selected: l === lang }, l === 'es' ? 'Español' : 'English'))
  select.addEventListener('change', () => { localStorage.setItem('accord.lang', select.value); location.reload() })
  return el('header', { className: 'top' }, el('strong', { className: 'brand' }, t('appName')), ...extra, select)
}

function field (key: MessageKey, name: string, value = ''): HTMLElement {
  const id = 'f-' + name
  return el('p', {}, el('label', { for: id }, t(key)), el('input', { id, name, value, required: true }))
}

function openScreen (): void {
  const form = el('form', { className: 'card' }, el('p', {}, el('a', { href: '/signin', id: 'signin-link' }, t('signIn'))), el('h1', {}, t('openTitle')), field('docName', 'doc'), field('token', 'token'), el('button', { type: 'submit' }, t('open')))
  form.addEventListener('submit', e => {
    e.preventDefault()
    const data = new FormData(form)
    location.assign(`/d/${encodeURIComponent(String(data.get('doc')))}?token=${encodeURIComponent(String(data.get('token')))}`)
  })
  app.replaceChildren(header(), el('main', {}, form))
}

interface Identity { name: string, org: string, color: string }

function identity (params: URLSearchParams): Identity | null {
  // ?name=&org= (used by tests and invitation links) override and are remembered.
  if (params.get('name')) {
    localStorage.setItem('accord.identity', JSON.stringify({ name: params.get('name'), org: params.get('org') ?? '', color: COLORS[Math.floor(Math.random() * COLORS.length)] }))
  }
  try { return JSON.parse(localStorage.getItem('accord.identity') ?? 'null') } catch { return null }
}

function identityScreen (then: () => void): void {
  const form = el('form', { className: 'card' }, el('h1', {}, t('identityTitle')), field('yourName', 'name'), field('yourOrg', 'org'), el('button', { type: 'submit' }, t('continue')))
  form.addEventListener('submit', e => {
    e.preventDefault()
    const data = new FormData(form)
    localStorage.setItem('accord.identity', JSON.stringify({ name: data.get('name'), org: data.get('org'), color: COLORS[Math.floor(Math.random() * COLORS.length)] }))
    then()
  })
  app.replaceChildren(header(), el('main', {}, form))
}

function workspace (docName: string, params: URLSearchParams, me: Identity, signedIn: boolean): void {
  const token = params.get('token')
  if (!token && !signedIn) { openScreen(); (document.getElementById('f-doc') as HTMLInputElement).value = docName; return }
  let readOnly = params.get('mode') === 'read'

  const status = el('span', { className: 'status', role: 'status', 'aria-live': 'polite', id: 'saved-status' })
  const roBadge = el('span', { className: 'badge', id: 'readonly-badge', hidden: true }, t('readOnly'))
  const toolbar = el('div', { className: 'toolbar', id: 'toolbar' })
  const importBtn = el('button', { type: 'button', id: 'import-open' }, t('importText'))
  const editorHost = el('div', { className: 'editor-host', id: 'editor' })
  const people = el('ul', { className: 'people', id: 'people' })
  const notice = el('p', { className: 'notice', id: 'notice', role: 'alert', hidden: true })
  app.replaceChildren(
    header([el('span', { className: 'doc-name' }, docName), roBadge, status]),
    el('main', { className: 'workspace' },
      el('section', { className: 'paper' }, el('div', { className: 'bar' }, toolbar, importBtn), notice, editorHost),
      el('aside', { 'aria-labelledby': 'people-h' }, el('h2', { id: 'people-h' }, t('whoIsHere')), people)))

  const doc = new Y.Doc()
  const persistence = new IndexeddbPersistence('accord:' + docName, doc)
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
  const provider = new WebsocketProvider(wsUrl, encodeURIComponent(docName), doc, { params: token ? { token, ext: 'saved' } : { ext: 'saved' }, disableBc: true })
  const saved = new SavedState(() => Y.decodeStateVector(Y.encodeStateVector(doc)))
  const editor = createEditor(editorHost, toolbar, doc.getXmlFragment(FRAGMENT_NAME), provider.awareness)

  const applyReadOnly = () => {
    editor.setReadOnly(readOnly)
    roBadge.hidden = !readOnly
    importBtn.hidden = readOnly
    document.body.dataset.readonly = String(readOnly)
  }
  applyReadOnly()

  provider.messageHandlers[MESSAGE_SAVED] = (_enc, decoder) => {
    const sv = decoding.readVarUint8Array(decoder)
    saved.serverSaved(Y.decodeStateVector(sv))
  }
  provider.messageHandlers[MESSAGE_AUTH] = (_enc, decoder, p) => {
    authProtocol.readAuthMessage(decoder, p.doc, (_doc, reason) => {
      console.warn('permission denied:', reason)
      readOnly = true
      applyReadOnly()
      notice.textContent = t('readOnlyDenied')
      notice.hidden = false
    })
  }
  provider.on('status', ({ status: s }: { status: string }) => saved.setConnected(s === 'connected'))
  doc.on('update', () => saved.docChanged())
  const labels: Record<SavedStatus, MessageKey> = { saved: 'saved', saving: 'saving', offline: 'offline' }
  saved.onChange(s => { status.textContent = t(labels[s]); status.dataset.state = s })

  provider.awareness.setLocalStateField('user', { name: me.org ? `${me.name} · ${me.org}` : me.name, person: me.name, org: me.org, color: me.color })
  const renderPeople = () => {
    const items: HTMLElement[] = []
    provider.awareness.getStates().forEach((st, id) => {
      const u = st.user
      if (!u) return
      const li = el('li', {}, el('span', { className: 'dot', 'aria-hidden': 'true' }), `${u.person ?? u.name}${u.org ? ' — ' + u.org : ''}${id === doc.clientID ? ` (${t('you')})` : ''}`)
      ;(li.firstChild as HTMLElement).style.background = u.color
      items.push(li)
    })
    people.replaceChildren(...items)
  }
  provider.awareness.on('change', renderPeople)
  renderPeople()
  window.addEventListener('pagehide', () => provider.awareness.setLocalState(null))

  const dialog = el('dialog', { id: 'import-dialog', 'aria-labelledby': 'import-h' })
  const textarea = el('textarea', { id: 'import-text', rows: 12, 'aria-describedby': 'import-help' })
  const doImport = el('button', { type: 'button', id: 'import-do' }, t('importDo'))
  const cancel = el('button', { type: 'button' }, t('cancel'))
  dialog.append(el('h2', { id: 'import-h' }, t('importText')), el('p', { id: 'import-help' }, t('importHelp')), textarea, el('p', {}, doImport, ' ', cancel))
  app.append(dialog)
  importBtn.addEventListener('click', () => dialog.showModal())
  cancel.addEventListener('click', () => dialog.close())
  doImport.addEventListener('click', () => { editor.appendDoc(importMarkdown(textarea.value)); textarea.value = ''; dialog.close() })

  // Exposed for tests and debugging only.
  Object.assign(window, { accord: { doc, provider, persistence, saved, editor } })
}

const show = (main: HTMLElement): void => { app.replaceChildren(header(), el('main', {}, main)) }
const home = (): void => { location.assign('/') }

function identityOf (me: Me): Identity {
  const stored = identity(new URLSearchParams())
  const org = me.memberships[0]?.organization?.short_name ?? ''
  return { name: me.user.display_name, org, color: stored?.color ?? COLORS[me.user.id % COLORS.length] }
}

async function route (): Promise<void> {
  const params = new URLSearchParams(location.search)
  const path = location.pathname
  if (path === '/signin') { signInScreen(show, home); return }
  if (path === '/invite') { await linkScreen(show, 'invitation', home); return }
  if (path === '/reset') { await linkScreen(show, 'password-reset', home); return }
  const m = path.match(/^\/d\/([^/]+)\/?$/)
  const signedIn = params.get('token') ? null : await currentUser()
  if (!m) {
    if (signedIn) await homeScreen(show, signedIn, home)
    else openScreen()
    return
  }
  const docName = decodeURIComponent(m[1])
  if (signedIn) { workspace(docName, params, identityOf(signedIn), true); return }
  const me = identity(params)
  if (!me) { identityScreen(() => { void route() }); return }
  workspace(docName, params, me, false)
}

void route()
