// The merge view of the statement secretariat in the consolidation phase: accepted amendments
// not merged yet, to tick; the collisions among the ticked ones side by side, each group with
// a decision (take one of them, or "I wrote a compromise in the draft"); POST …/merges. A 409
// "collision" names the groups still undecided, which are then shown and asked for; a merge
// ends with the new version and a link to its changes from the previous one.
import { el } from './dom'
import { t, tf } from './i18n'
import { api, type Answer } from './api'
import { field, formAlert, onSubmit, showMessage, showProblem } from './forms'
import { renderDiff, type VersionDiff } from './diff-view'
import { diffHref, versionHref } from './model'
import {
  collisionGroups, collisionLinks, groupKey, mergeBody, mergeable, stateLabel, undecided, amendmentHref, amendmentsHref,
  type Amendment, type Choice
} from './amendments-model'
import { flags, problem, statementOrAlert } from './amendments'

const enc = encodeURIComponent

interface MergeResult {
  version: { number: number, label: string }
  merged: number[]
  skipped: Array<{ number: number, reason: string, taken?: number }>
}

type Skip = MergeResult['skipped'][number]

/** Why a merge did not apply an amendment, in words. */
function skipReason (s: Skip): string {
  if (s.reason === 'compromise') return t('mergeSkippedCompromise')
  if (s.reason === 'obsolete') return t('mergeSkippedObsolete')
  return s.taken != null ? tf('mergeSkippedTaken', { taken: String(s.taken) }) : s.reason
}

function resultSection (slug: string, m: MergeResult): HTMLElement {
  const v = m.version
  const list = el('ul', { id: 'merge-outcome' })
  for (const n of m.merged) list.append(el('li', { 'data-merged': String(n) }, tf('mergeApplied', { n: String(n) })))
  for (const s of m.skipped) list.append(el('li', { 'data-skipped': String(s.number) }, tf('mergeSkipped', { n: String(s.number), why: skipReason(s) })))
  const links = el('p', { className: 'row-links' }, el('a', { href: versionHref(slug, v.number), id: 'merge-version' }, tf('readVersion', { n: String(v.number) })))
  if (v.number > 1) links.append(el('a', { href: diffHref(slug, v.number - 1, v.number), id: 'merge-diff' }, tf('changesSince', { n: String(v.number - 1) })))
  return el('section', { id: 'merge-result', 'aria-labelledby': 'merge-result-h', tabIndex: -1 },
    el('h2', { id: 'merge-result-h' }, tf('mergeDone', { n: String(v.number), label: v.label })), list, links)
}

/** One amendment's changed paragraphs only (its diff without the unchanged ones), ids dropped. */
function changedOnly (d: VersionDiff, a: Amendment): HTMLElement {
  const entries = d.diff.entries.filter(e => e.kind !== 'equal' || e.marker_changed)
  const node = renderDiff({ ...d, diff: { ...d.diff, entries } }, 'inline', { old: tf('versionN', { n: String(a.base_version) }), new: tf('amendmentN', { n: String(a.number) }) })
  // Several of these share the page: ids must stay unique, and one legend is enough.
  node.querySelectorAll('[id]').forEach(e => e.removeAttribute('id'))
  node.querySelectorAll('.diff-legend, .diff-summary').forEach(e => e.remove())
  return node
}

export async function mergeScreen (main: HTMLElement, slug: string, done: MergeResult | null = null): Promise<void> {
  const s = await statementOrAlert(main, slug)
  if (!s) return
  main.append(el('p', { className: 'crumb' }, el('a', { href: amendmentsHref(slug) }, `← ${t('amendments')}`)),
    el('h1', {}, `${t('amMergeTitle')}: ${s.title}`))
  if (done) main.append(resultSection(slug, done))
  if (!s.rights['settle-amendment']) { main.append(el('p', { className: 'notice', id: 'merge-none' }, t('mergeOnlySecretariat'))); return }
  if (s.phase !== 'consolidation') { main.append(el('p', { className: 'notice', id: 'merge-none' }, t('mergeOnlyConsolidation'))); return }
  const [lr, mr] = await Promise.all([api('GET', `/statements/${enc(slug)}/amendments`), api('GET', `/statements/${enc(slug)}/merges`)])
  if (lr.status !== 200) { problem(main, lr); return }
  const candidates = mergeable(lr.body.items ?? [])
  // An amendment an earlier merge set aside (a collision lost, a compromise) stays accepted and
  // may still be merged: offered unticked, saying what happened to it.
  const setAside = new Map<number, { version: number, skip: Skip }>()
  for (const m of (mr.status === 200 ? mr.body.merges ?? [] : []) as MergeResult[]) {
    for (const skip of m.skipped) setAside.set(skip.number, { version: m.version.number, skip })
  }
  main.append(el('p', { className: 'row-links' }, el('a', { href: `/d/${enc(s.document)}`, id: 'open-draft' }, t('openDraft'))))
  if (!candidates.length) { main.append(el('p', { className: 'hint', id: 'merge-none' }, t('mergeNothing'))); return }

  const byNumber = new Map(candidates.map(a => [a.number, a]))
  const collides = collisionLinks(candidates)
  const choices = new Map<string, Choice>()
  let reported: number[][] = []
  const diffs = new Map<number, Promise<Answer>>()
  const diffOf = (n: number) => {
    if (!diffs.has(n)) diffs.set(n, api('GET', `/statements/${enc(slug)}/amendments/${n}/diff`))
    return diffs.get(n)!
  }

  const alert = formAlert('merge-alert')
  alert.tabIndex = -1
  const boxes = el('fieldset', { id: 'merge-choose' }, el('legend', {}, t('mergeWhich')),
    ...candidates.map(a => {
      const earlier = setAside.get(a.number)
      return el('div', { className: 'merge-item', 'data-number': String(a.number) },
        el('label', { className: 'check', for: `merge-am-${a.number}` },
          el('input', { type: 'checkbox', name: 'amendment', value: String(a.number), id: `merge-am-${a.number}`, checked: !earlier }), ' ',
          `#${a.number} ${a.title} — ${a.organization.short_name} (${stateLabel(a.state)})`),
        ' ', el('a', { href: amendmentHref(slug, a.number) }, t('mergeOpen')),
        ...flags(slug, a).flatMap(f => [' · ', f]),
        ...(earlier ? [' · ', el('span', { className: 'am-flag merge-set-aside' }, tf('mergeSetAside', { n: String(earlier.version), why: skipReason(earlier.skip) }))] : []))
    }))
  const collisionsBox = el('div', { id: 'merge-collisions', 'aria-live': 'polite' })
  const form = el('form', { id: 'merge', className: 'inline-form', 'aria-labelledby': 'merge-h' },
    el('h2', { id: 'merge-h' }, t('mergeForm')), el('p', { className: 'hint' }, t('mergeHint')), alert, boxes, collisionsBox,
    field('merge', { name: 'label', label: t('versionLabel'), maxLength: 200, hint: t('mergeLabelHint') }),
    el('button', { type: 'submit' }, t('mergeDo')))
  main.append(form)

  const selected = () => [...form.querySelectorAll<HTMLInputElement>('input[name=amendment]:checked')].map(i => Number(i.value))
  const groups = () => collisionGroups(selected(), collides, reported)

  const drawCollisions = () => {
    const gs = groups()
    collisionsBox.replaceChildren()
    if (gs.length) collisionsBox.append(el('h3', {}, t('mergeCollisions')), el('p', { className: 'hint' }, t('mergeCollisionsHint')))
    gs.forEach((g, i) => {
      const key = groupKey(g)
      const name = `merge-decision-${i}`
      const sides = el('div', { className: 'collision-sides' })
      for (const n of g) {
        const a = byNumber.get(n)
        const col = el('div', { className: 'collision-side', 'data-number': String(n) },
          el('h4', {}, `#${n} ${a?.title ?? ''}${a ? ` — ${a.organization.short_name}` : ''}`))
        sides.append(col)
        void diffOf(n).then(r => {
          if (r.status === 200 && a) col.append(changedOnly(r.body, a))
          else problem(col, r, `merge-diff-alert-${n}`)
        })
      }
      const radio = (value: string, label: Node | string, id: string) => {
        const input = el('input', { type: 'radio', name, value, id, checked: String(choices.get(key) ?? '') === value })
        input.addEventListener('change', () => { choices.set(key, value === 'compromise' ? 'compromise' : Number(value)) })
        return el('div', { className: 'check' }, input, ' ', el('label', { for: id }, label))
      }
      const decision = el('fieldset', { className: 'collision-decision' }, el('legend', {}, t('mergeDecision')),
        ...g.map(n => radio(String(n), tf('mergeTake', { n: String(n) }), `${name}-${n}`)),
        radio('compromise', t('mergeCompromise'), `${name}-compromise`),
        el('p', { className: 'hint' }, el('a', { href: `/d/${enc(s.document)}`, target: '_blank', rel: 'noopener', className: 'merge-draft-link' }, t('mergeWriteInDraft'))))
      collisionsBox.append(el('fieldset', { className: 'collision', 'data-group': key },
        el('legend', {}, tf('mergeCollision', { list: g.map(n => `#${n}`).join(', ') })), sides, decision))
    })
  }
  boxes.addEventListener('change', drawCollisions)
  drawCollisions()

  onSubmit(form, async data => {
    const chosen = selected()
    if (!chosen.length) { showMessage(alert, t('mergeChooseOne')); alert.focus(); return }
    const gs = groups()
    const open = undecided(gs, choices)
    if (open.length) {
      showMessage(alert, tf('mergeDecide', { list: open.map(g => g.map(n => `#${n}`).join(' / ')).join('; ') }))
      collisionsBox.querySelector<HTMLElement>(`[data-group="${groupKey(open[0])}"] input`)?.focus()
      return
    }
    const r = await api('POST', `/statements/${enc(slug)}/merges`, mergeBody(chosen, gs, choices, String(data.get('label') ?? '')))
    if (r.status === 201) {
      main.replaceChildren()
      await mergeScreen(main, slug, r.body)
      document.getElementById('merge-result')?.focus()
      return
    }
    if (r.status === 409 && Array.isArray(r.body?.collisions)) {
      // The server knows collisions the list did not show: ask for a decision on them.
      reported = r.body.collisions.map((c: { amendments: number[] }) => c.amendments)
      drawCollisions()
      showMessage(alert, `${t('mergeStopped')} ${r.body.message ?? r.body.detail ?? ''}`.trim())
      alert.focus()
      return
    }
    showProblem(form, alert, r)
  })
}
