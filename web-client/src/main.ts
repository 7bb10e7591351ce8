// Routing and the workspace. Routes: "/" (signed in: the app's hash routes — "#/" statements,
// "#/statements/<slug>" managing one, ".../versions[/<n>]" and ".../diff?from=&to=&layout="
// (versions.ts), ".../amendments[?state=]", ".../amendments/<n>" (amendments.ts), ".../merge"
// (merge.ts), ".../sign" (sign-screen.ts), ".../adherence[?state=]" (adherence-admin.ts),
// ".../signon" (signon-dashboard.ts),
// "#/keys" (keys-screen.ts), "#/signing-keys" (key-approvals.ts), "#/organizations[/<id>]";
// signed out: open a statement with a token), "/signin", "/invite#TOKEN" and "/reset#TOKEN"
// (account.ts), "/s/<slug>" (public-page.ts: a final statement, for anyone), "/d/<name>[?token=…]"
// (workspace: with the session cookie when signed in, else with an API token). Each screen
// renders into <main> of the shell (shell.ts). With a token and no account, who you are (name,
// organization) is asked once and stored in localStorage.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as decoding from 'lib0/decoding'
import * as authProtocol from 'y-protocols/auth'
import { catalogs, chooseLanguage, setLanguage, t, tf, type MessageKey } from './i18n'
import { SavedState, type SavedStatus } from './saved-state'
import { createEditor, FRAGMENT_NAME } from './editor'
import { authorship } from './authorship'
import { commentsPanel, commentRights, type CommentsPanel } from './comments'
import { importMarkdown } from './importer'
import { el } from './dom'
import { linkScreen, signInScreen } from './account'
import { currentUser, api } from './api'
import { shell } from './shell'
import { statementsScreen, statementScreen } from './statements'
import { organizationsScreen, organizationScreen } from './organizations'
import { versionsScreen, versionScreen, diffScreen } from './versions'
import { actingOrganization, parseView, phaseLabel, readOnlyReason, problemView, versionsHref, type Me, type StatementDetail } from './model'
import { amendmentsScreen, amendmentScreen } from './amendments'
import { mergeScreen } from './merge'
import { keysScreen } from './keys-screen'
import { signScreen } from './sign-screen'
import { keyApprovalsScreen } from './key-approvals'
import { publicPage } from './public-page'
import { adherenceScreen } from './adherence-admin'
import { signonDashboardScreen } from './signon-dashboard'
import { amendmentDocument, amendmentHref, amendmentReadOnlyReason, stateLabel, type AmendmentDetail } from './amendments-model'
import './style.css'

const MESSAGE_AUTH = 2
const MESSAGE_SAVED = 100 // accordd ?ext=saved: [varUint 100][varUint8Array stateVector]
const COLORS = ['#b3261e', '#1d6b38', '#1a4fa0', '#8a3ea8', '#a35a00', '#00707a', '#6b5b00', '#c2185b']

const app = document.getElementById('app')!
function useLanguage (lang: string): void {
  setLanguage(lang)
  document.documentElement.lang = lang
}
useLanguage(chooseLanguage(localStorage.getItem('accord.lang'), navigator.languages ?? [navigator.language]))

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
  shell(app).append(form)
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
  shell(app).append(form)
}

interface StatementInfo { detail: StatementDetail | null, amendment: AmendmentDetail | null, error: string | null }

// The statement behind a draft "statement.<slug>" (title, phase and the caller's rights), and
// for an amendment's document "statement.<slug>.amendment.<n>" also the amendment (its state
// decides who writes it).
async function statementOf (docName: string): Promise<StatementInfo> {
  const am = amendmentDocument(docName)
  const slug = am ? am.slug : docName.match(/^statement\.(.+)$/)?.[1]
  if (!slug) return { detail: null, amendment: null, error: null }
  const [r, ar] = await Promise.all([api('GET', `/statements/${encodeURIComponent(slug)}`),
    am ? api('GET', `/statements/${encodeURIComponent(slug)}/amendments/${am.number}`) : Promise.resolve(null)])
  if (r.status !== 200) return { detail: null, amendment: null, error: problemView(r.status, r.body).message }
  if (ar && ar.status !== 200) return { detail: null, amendment: null, error: problemView(ar.status, ar.body).message }
  return { detail: r.body, amendment: ar ? ar.body : null, error: null }
}

async function workspace (docName: string, params: URLSearchParams, me: Identity, account: Me | null): Promise<void> {
  const token = params.get('token')
  if (!token && !account) { openScreen(); (document.getElementById('f-doc') as HTMLInputElement).value = docName; return }
  let info: StatementInfo = account ? await statementOf(docName) : { detail: null, amendment: null, error: null }
  if (account && info.error) {
    shell(app, { me: account, current: 'statements' }).append(el('div', { className: 'card' }, el('h1', {}, docName),
      el('p', { role: 'alert', className: 'notice', id: 'notice' }, info.error), el('p', {}, el('a', { href: '/#/' }, t('statements')))))
    return
  }
  if (account && info.detail) me = { ...me, org: actingOrganization(account, info.detail.participants)?.short_name ?? me.org }
  let readOnly = params.get('mode') === 'read'
  let reason: string | null = null

  const status = el('span', { className: 'status', role: 'status', 'aria-live': 'polite', id: 'saved-status' })
  const roBadge = el('span', { className: 'badge', id: 'readonly-badge', hidden: true }, t('readOnly'))
  const phase = el('span', { className: 'badge phase', id: 'phase', hidden: true })
  const title = el('h1', { className: 'doc-name', id: 'doc-title' }, docName)
  const reasonLine = el('p', { className: 'notice', id: 'readonly-reason', hidden: true })
  const toolbar = el('div', { className: 'toolbar', id: 'toolbar' })
  const importBtn = el('button', { type: 'button', id: 'import-open' }, t('importText'))
  const editorHost = el('div', { className: 'editor-host', id: 'editor' })
  const people = el('ul', { className: 'people', id: 'people' })
  // Signed in on a statement: a link to its versions and the "who wrote what" colouring.
  const versionsLink = el('a', { href: '/', id: 'versions-link', hidden: true }, t('versions'))
  const authorsToggle = el('input', { type: 'checkbox', id: 'show-authors' })
  const authorsBox = el('div', { className: 'authors', id: 'authors', hidden: true },
    el('label', { className: 'check', for: 'show-authors' }, authorsToggle, ' ', t('showAuthors')))
  const authorsLegend = el('div', { id: 'authors-legend', 'aria-live': 'polite', hidden: true })
  authorsBox.append(authorsLegend)
  const notice = el('p', { className: 'notice', id: 'notice', role: 'alert', hidden: true })
  const main = shell(app, { me: account, current: 'statements' })
  main.className = 'workspace'
  main.append(
    el('div', { className: 'ws-head' }, title, phase, roBadge, versionsLink, status),
    el('section', { className: 'paper', 'aria-labelledby': 'doc-title' }, reasonLine, el('div', { className: 'bar' }, toolbar, importBtn), notice, editorHost),
    el('aside', { 'aria-labelledby': 'people-h' }, el('h2', { id: 'people-h' }, t('whoIsHere')), people, authorsBox))

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
    reasonLine.textContent = reason ?? ''
    reasonLine.hidden = !(readOnly && reason)
    document.body.dataset.readonly = String(readOnly)
  }
  // Signed in, the rights come from the statement (GET /statements/{slug}) before anyone types.
  const applyStatement = () => {
    const d = info.detail
    if (!d || !account) return
    const a = info.amendment
    // An amendment's text: its number and title, its state, a way back to its page; the
    // authorship colouring belongs to the draft only.
    title.textContent = a ? `${tf('amendmentN', { n: String(a.number) })}: ${a.title}` : d.title
    document.title = `${title.textContent} — ${t('appName')}`
    phase.textContent = a ? `${t('amState')}: ${stateLabel(a.state)}` : phaseLabel(d.phase)
    phase.hidden = false
    versionsLink.href = a ? amendmentHref(d.slug, a.number) : versionsHref(d.slug)
    versionsLink.textContent = a ? t('amBackToPage') : t('versions')
    versionsLink.hidden = false
    authorsBox.hidden = !!a
    reason = a ? amendmentReadOnlyReason(account, d, a) : readOnlyReason(account, d)
    readOnly = reason !== null
  }
  applyStatement()
  applyReadOnly()
  let comments: CommentsPanel | null = null
  if (info.detail && !info.amendment) {
    const colouring = authorship(editor.view, doc.getXmlFragment(FRAGMENT_NAME), info.detail.slug, authorsLegend)
    authorsToggle.addEventListener('change', () => { void colouring.setEnabled(authorsToggle.checked) })
  }
  // Signed in on a statement's draft: threaded comments on its paragraphs, beside the text
  // (an amendment's discussion is on its page).
  if (info.detail && !info.amendment && account) {
    comments = commentsPanel({ slug: info.detail.slug, ydoc: doc, fragment: doc.getXmlFragment(FRAGMENT_NAME), view: editor.view, ...commentRights(account, info.detail) })
    main.classList.add('with-comments')
    main.append(comments.element)
  }

  provider.messageHandlers[MESSAGE_SAVED] = (_enc, decoder) => {
    const sv = decoding.readVarUint8Array(decoder)
    saved.serverSaved(Y.decodeStateVector(sv))
  }
  provider.messageHandlers[MESSAGE_AUTH] = (_enc, decoder, p) => {
    authProtocol.readAuthMessage(decoder, p.doc, (_doc, why) => {
      console.warn('permission denied:', why)
      readOnly = true
      applyReadOnly()
      notice.textContent = t('readOnlyDenied')
      notice.hidden = false
    })
  }
  // accordd closes the statement's sockets (4003) when its phase, participants or one's roles
  // change; on reconnecting, the rights are asked again so the editor follows them.
  let connectedBefore = false
  provider.on('status', async ({ status: s }: { status: string }) => {
    saved.setConnected(s === 'connected')
    if (s !== 'connected') return
    if (connectedBefore && account) {
      info = await statementOf(docName); applyStatement(); applyReadOnly()
      if (info.detail) comments?.setRights(commentRights(account, info.detail))
    }
    connectedBefore = true
  })
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
  Object.assign(window, { accord: { doc, provider, persistence, saved, editor, comments } })
}

const show = (main: HTMLElement): void => { shell(app).append(main) }
const home = (): void => { location.assign('/') }

function identityOf (me: Me): Identity {
  const stored = identity(new URLSearchParams())
  const org = me.memberships[0]?.organization?.short_name ?? ''
  return { name: me.user.display_name, org, color: stored?.color ?? COLORS[me.user.id % COLORS.length] }
}

// The signed-in app on "/": one screen per hash route. Returns the screen's <main>; once a
// later hash change has drawn another shell it is detached (a stale screen then finishes
// there and must neither retitle the page nor take the focus).
async function signedInHome (me: Me): Promise<HTMLElement> {
  const view = parseView(location.hash)
  const current = view.name.startsWith('organization') ? 'organizations' : view.name === 'keys' ? 'keys' : view.name === 'key-approvals' ? 'key-approvals' : 'statements'
  const main = shell(app, { me, current })
  main.setAttribute('aria-busy', 'true')
  if (view.name === 'statement') await statementScreen(main, view.slug)
  else if (view.name === 'versions') await versionsScreen(main, view.slug)
  else if (view.name === 'version') await versionScreen(main, view.slug, view.number)
  else if (view.name === 'diff') await diffScreen(main, view.slug, view.from, view.to, view.layout)
  else if (view.name === 'amendments') await amendmentsScreen(main, me, view.slug, view.state)
  else if (view.name === 'amendment') await amendmentScreen(main, me, view.slug, view.number)
  else if (view.name === 'merge') await mergeScreen(main, view.slug)
  else if (view.name === 'sign') await signScreen(main, me, view.slug)
  else if (view.name === 'keys') await keysScreen(main, me)
  else if (view.name === 'key-approvals') await keyApprovalsScreen(main)
  else if (view.name === 'adherence') await adherenceScreen(main, view.slug, view.state)
  else if (view.name === 'signon') await signonDashboardScreen(main, view.slug)
  else if (view.name === 'organizations') await organizationsScreen(main, me)
  else if (view.name === 'organization') await organizationScreen(main, me, view.id)
  else await statementsScreen(main, me)
  main.setAttribute('aria-busy', 'false')
  const h1 = main.querySelector('h1')
  if (h1 && main.isConnected) document.title = `${h1.textContent} — ${t('appName')}`
  return main
}

async function route (): Promise<void> {
  const params = new URLSearchParams(location.search)
  const path = location.pathname
  if (path === '/signin') { signInScreen(show, home); return }
  if (path === '/invite') { await linkScreen(show, 'invitation', home); return }
  if (path === '/reset') { await linkScreen(show, 'password-reset', home); return }
  const m = path.match(/^\/d\/([^/]+)\/?$/)
  const signedIn = params.get('token') ? null : await currentUser()
  // Language: this browser's explicit choice, else the account's, else the browser's.
  if (signedIn && !localStorage.getItem('accord.lang')) {
    const base = signedIn.user.language.toLowerCase().split('-')[0]
    if (catalogs[base]) useLanguage(base)
  }
  // A final statement's public page, for anyone.
  const pub = path.match(/^\/s\/([^/]+)\/?$/)
  if (pub) { await publicPage(app, decodeURIComponent(pub[1]), signedIn); return }
  if (!m) {
    if (signedIn) {
      // Listen before the first screen is drawn: a hash change while it still waits for the
      // server (a link followed, a deep link typed) must not be lost.
      window.addEventListener('hashchange', async () => {
        const main = await signedInHome(signedIn)
        if (main.isConnected) main.focus() // a new screen: start reading at its content
      })
      await signedInHome(signedIn)
    } else openScreen()
    return
  }
  const docName = decodeURIComponent(m[1])
  if (signedIn) { await workspace(docName, params, identityOf(signedIn), signedIn); return }
  const me = identity(params)
  if (!me) { identityScreen(() => { void route() }); return }
  await workspace(docName, params, me, null)
}

void route()
