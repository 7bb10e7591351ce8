// The page frame: a skip link, the top bar (brand, main navigation for the signed-in user,
// who is signed in, language, sign out) and <main id="main">. Plain links and buttons, so the
// keyboard order is the reading order; the bar wraps on narrow screens.
import { el } from './dom'
import { languages, t, currentLanguage } from './i18n'
import { navItems, type Me, type NavItem } from './model'
import { api, setCsrf } from './api'

export function languageSelect (signedIn: boolean): HTMLSelectElement {
  const select = el('select', { 'aria-label': t('language'), id: 'lang' })
  for (const l of languages) select.append(el('option', { value: l, selected: l === currentLanguage(), lang: l }, l === 'es' ? 'Español' : 'English'))
  select.addEventListener('change', async () => {
    localStorage.setItem('accord.lang', select.value)
    // Remember it on the account too, so another device starts in the same language.
    if (signedIn) await api('PATCH', '/users/me', { language: select.value })
    location.reload()
  })
  return select
}

export interface ShellOptions { me?: Me | null, current?: NavItem['key'], extra?: Node[] }

/** Renders the frame into `app` and returns <main>, to be filled by the screen. */
export function shell (app: HTMLElement, opts: ShellOptions = {}): HTMLElement {
  const main = el('main', { id: 'main', tabIndex: -1 })
  const skip = el('a', { className: 'skip', href: '#main' }, t('skipToContent'))
  // The skip link must not change the hash routes: move focus instead of following it.
  skip.addEventListener('click', e => { e.preventDefault(); main.focus() })
  const bar: Node[] = [el('a', { className: 'brand', href: '/' }, t('appName'))]
  const me = opts.me
  if (me) {
    const list = el('ul', {})
    for (const item of navItems(me)) {
      const a = el('a', { href: item.href, id: `nav-${item.key}` }, item.label)
      if (item.key === opts.current) a.setAttribute('aria-current', 'page')
      list.append(el('li', {}, a))
    }
    bar.push(el('nav', { 'aria-label': t('mainNav'), className: 'main-nav' }, list))
  }
  bar.push(...(opts.extra ?? []))
  const tools = el('div', { className: 'top-tools' })
  if (me) {
    const org = me.memberships[0]?.organization?.short_name
    tools.append(el('span', { className: 'who', id: 'signed-in-as' }, `${me.user.display_name}${org ? ` — ${org}` : ''}`))
  }
  tools.append(languageSelect(!!me))
  if (me) {
    const out = el('button', { type: 'button', id: 'signout' }, t('signOut'))
    out.addEventListener('click', async () => {
      await api('DELETE', '/session')
      setCsrf(null)
      // Drafts kept for offline use belong to this account: on a shared computer the next
      // person must neither read them nor send them (the server refuses edits made under
      // another account's client id).
      await forgetLocalDrafts()
      location.assign('/')
    })
    tools.append(out)
  }
  bar.push(tools)
  app.replaceChildren(skip, el('header', { className: 'top' }, ...bar), main)
  return main
}

/** Deletes every IndexedDB database the workspace made (y-indexeddb, "accord:<document>"). */
export async function forgetLocalDrafts (): Promise<void> {
  if (!('databases' in indexedDB)) return
  const names = (await indexedDB.databases()).map(d => d.name ?? '').filter(n => n.startsWith('accord:'))
  await Promise.all(names.map(name => new Promise<void>(resolve => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = req.onerror = req.onblocked = () => resolve()
  })))
}
