import { describe, it, expect, beforeEach } from 'vitest'
import { setLanguage } from './i18n'
import { parseView, type Me, type StatementDetail, type StatementRights } from './model'
import {
  amendmentActions, amendmentDocument, amendmentReadOnlyReason, collisionGroups, collisionLinks, filterByState, groupByParagraph, groupKey,
  mergeBody, mergeable, stateLabel, supportText, undecided, type Amendment, type AmendmentDetail, type Choice
} from './amendments-model'

const org = (id: number, short: string) => ({ id, short_name: short, name: `Org ${short}` })
function amendment (number: number, o: Partial<AmendmentDetail> = {}): AmendmentDetail {
  return {
    number, title: `A${number}`, rationale: '', state: 'submitted', organization: org(2, 'NORTE'), base_version: 1,
    document: `statement.s.amendment.${number}`, supporters: 0, created_by: { id: 5, name: 'Ana' }, created_at: '2026-12-01T10:00:00Z',
    transitions: [], supporter_list: [], ...o
  }
}
const para = (index: number, excerpt = `unit ${index}`) => ({ index, marker: `${index}.`, excerpt })
const noRights: StatementRights = {
  'edit-draft': false, 'settle-amendment': false, 'change-phase': false, 'publish-version': false, 'manage-participants': false,
  'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': []
}
function person (memberships: Array<[number, 'delegate' | 'secretariat' | 'observer']>): Me {
  return {
    user: { id: 9, email: 'x@example.org', display_name: 'X', language: 'en' },
    memberships: memberships.map(([orgId, role], i) => ({ id: i + 1, user_id: 9, organization_id: orgId, role })),
    instance_secretariat: false, csrf_token: null
  }
}
function statement (phase: StatementDetail['phase'], rights: Partial<StatementRights> = {}): StatementDetail {
  return { id: 1, slug: 's', title: 'S', language: 'en', phase, phase_deadline: null, document: 'statement.s', participants: [], rights: { ...noRights, ...rights } }
}

beforeEach(() => setLanguage('en'))

describe('grouping by paragraph', () => {
  it('puts each amendment under every base paragraph it changes, in text order, by number', () => {
    const list: Amendment[] = [
      amendment(3, { paragraphs: [para(4), para(2)] }),
      amendment(1, { paragraphs: [para(2, 'We demand peace')] }),
      amendment(2, { paragraphs: [] }),
      amendment(4, {})
    ]
    const groups = groupByParagraph(list)
    expect(groups.map(g => g.index)).toEqual([2, 4, null])
    expect(groups[0].amendments.map(a => a.number)).toEqual([1, 3])
    expect(groups[0].excerpt).toBe('We demand peace')
    expect(groups[0].marker).toBe('2.')
    expect(groups[1].amendments.map(a => a.number)).toEqual([3])
    // No known paragraph (nothing changed yet, or a server without `paragraphs`): last.
    expect(groups[2].amendments.map(a => a.number)).toEqual([2, 4])
  })
  it('lists an amendment once per paragraph even if the server repeats it', () => {
    const groups = groupByParagraph([amendment(1, { paragraphs: [para(1), para(1)] })])
    expect(groups).toHaveLength(1)
    expect(groups[0].amendments).toHaveLength(1)
  })
  it('is empty for no amendments and filters by state', () => {
    expect(groupByParagraph([])).toEqual([])
    const list = [amendment(1, { state: 'draft' }), amendment(2, { state: 'accepted' })]
    expect(filterByState(list, 'accepted').map(a => a.number)).toEqual([2])
    expect(filterByState(list, '')).toHaveLength(2)
  })
})

describe('merging', () => {
  it('offers accepted amendments that are not merged yet', () => {
    const list = [
      amendment(4, { state: 'accepted-with-modification' }), amendment(1, { state: 'accepted' }),
      amendment(2, { state: 'accepted', merged_in_version: 3 }), amendment(3, { state: 'rejected' }), amendment(5, { state: 'submitted' })
    ]
    expect(mergeable(list).map(a => a.number)).toEqual([1, 4])
  })
  it('collision groups are the connected sets among the selected amendments', () => {
    const links = new Map([[2, [5]], [5, [2, 7]], [7, [5]], [3, [9]], [4, []]])
    expect(collisionGroups([2, 3, 4, 5, 7], links)).toEqual([[2, 5, 7]])
    // 9 is not selected: 3 collides with nothing chosen.
    expect(collisionGroups([3, 4], links)).toEqual([])
    // Without 5 the chain breaks: 2 and 7 do not collide with each other.
    expect(collisionGroups([2, 7], links)).toEqual([])
  })
  it('leaves obsolete amendments out of the collision links', () => {
    const list = [amendment(1, { collides_with: [2, 3] }), amendment(2, { collides_with: [1], obsolete: true }), amendment(3, { collides_with: [1] })]
    const links = collisionLinks(list)
    expect(links.get(2)).toEqual([])
    expect(links.get(1)).toEqual([3])
    expect(collisionGroups([1, 2, 3], links)).toEqual([[1, 3]])
    expect(collisionGroups([1, 2], links)).toEqual([])
  })
  it('adds the groups a 409 reported, joined with the known ones', () => {
    const links = new Map([[1, [2]], [2, [1]]])
    expect(collisionGroups([1, 2, 3, 4, 6], links, [[2, 3], [4, 6], [6, 8]])).toEqual([[1, 2, 3], [4, 6]])
  })
  it('builds the body: sorted numbers, one decision per decided group, the label when given', () => {
    const groups = [[2, 5], [3, 7, 8]]
    const choices = new Map<string, Choice>([[groupKey([5, 2]), 5], [groupKey([8, 7, 3]), 'compromise']])
    expect(mergeBody([5, 2, 3, 7, 8, 9, 2], groups, choices, '  After the merge ')).toEqual({
      amendments: [2, 3, 5, 7, 8, 9],
      decisions: [{ amendments: [2, 5], take: 5 }, { amendments: [3, 7, 8], compromise: true }],
      label: 'After the merge'
    })
    expect(mergeBody([1], [], new Map(), '  ')).toEqual({ amendments: [1], decisions: [] })
  })
  it('knows which groups still lack a decision (a choice outside the group does not count)', () => {
    const groups = [[2, 5], [3, 7]]
    const choices = new Map<string, Choice>([['2,5', 9], ['3,7', 3]])
    expect(undecided(groups, choices)).toEqual([[2, 5]])
    expect(mergeBody([2, 3, 5, 7], groups, choices).decisions).toEqual([{ amendments: [3, 7], take: 3 }])
    choices.set('2,5', 'compromise')
    expect(undecided(groups, choices)).toEqual([])
  })
})

describe('who may do what', () => {
  const norteDelegate = person([[2, 'delegate']])
  const surDelegate = person([[3, 'delegate']])
  it('the proposer edits and submits a draft, and withdraws it', () => {
    const s = statement('amendments', { 'propose-amendment-for': [2], 'support-amendment-for': [2] })
    const can = amendmentActions(norteDelegate, s.rights, amendment(1, { state: 'draft' }))
    expect(can).toMatchObject({ edit: true, submit: true, withdraw: true, supportFor: [], unsupportFor: [], settle: false })
    expect(amendmentReadOnlyReason(norteDelegate, s, amendment(1, { state: 'draft' }))).toBeNull()
  })
  it('another organization supports a submitted amendment, then may withdraw its support', () => {
    const s = statement('amendments', { 'propose-amendment-for': [3], 'support-amendment-for': [3] })
    expect(amendmentActions(surDelegate, s.rights, amendment(1)).supportFor).toEqual([3])
    const supported = amendment(1, { state: 'supported', supporter_list: [{ organization: org(3, 'SUR'), by: null, at: '2026-12-01T11:00:00Z' }] })
    expect(amendmentActions(surDelegate, s.rights, supported)).toMatchObject({ supportFor: [], unsupportFor: [3], edit: false, withdraw: false })
    // Nobody supports a draft or a settled amendment.
    expect(amendmentActions(surDelegate, s.rights, amendment(1, { state: 'draft' })).supportFor).toEqual([])
    expect(amendmentActions(surDelegate, s.rights, amendment(1, { state: 'accepted' })).supportFor).toEqual([])
  })
  it('the secretariat settles submitted amendments and makes drafts obsolete', () => {
    const sec = person([[1, 'secretariat']])
    const s = statement('consolidation', { 'settle-amendment': true })
    expect(amendmentActions(sec, s.rights, amendment(1))).toMatchObject({ settle: true, obsolete: true, compromise: true })
    expect(amendmentActions(sec, s.rights, amendment(1, { state: 'draft' }))).toMatchObject({ settle: false, obsolete: true, compromise: false })
    expect(amendmentActions(sec, s.rights, amendment(1, { state: 'rejected' }))).toMatchObject({ settle: false, obsolete: false })
    expect(amendmentReadOnlyReason(sec, s, amendment(1))).toBeNull()
  })
  it('explains why the text is read-only', () => {
    const s = statement('amendments', { 'propose-amendment-for': [3] })
    expect(amendmentReadOnlyReason(surDelegate, s, amendment(1, { state: 'draft' }))).toMatch(/Only delegates of NORTE/)
    expect(amendmentReadOnlyReason(norteDelegate, statement('amendments'), amendment(1, { state: 'draft' }))).toMatch(/deadline/)
    expect(amendmentReadOnlyReason(norteDelegate, statement('consolidation'), amendment(1, { state: 'draft' }))).toMatch(/amendments phase/)
    expect(amendmentReadOnlyReason(norteDelegate, s, amendment(1))).toMatch(/submitted: its text no longer changes/)
    expect(amendmentReadOnlyReason(norteDelegate, s, amendment(1, { state: 'accepted-with-modification' }))).toBe('The amendment is Accepted with modification: its text no longer changes.')
  })
})

describe('labels and routes', () => {
  it('states and support in words, in both languages', () => {
    expect(stateLabel('accepted-with-modification')).toBe('Accepted with modification')
    expect(stateLabel('mystery')).toBe('mystery')
    expect(supportText(2, 3)).toBe('Supporters: 2 of 3 needed')
    expect(supportText(1, 0)).toBe('Supporters: 1 (none needed)')
    setLanguage('es')
    expect(stateLabel('referred')).toBe('Remitida')
    expect(supportText(2, 3)).toBe('Apoyos: 2 de 3 necesarios')
  })
  it('amendment documents and hash routes', () => {
    expect(amendmentDocument('statement.cierre.amendment.12')).toEqual({ slug: 'cierre', number: 12 })
    expect(amendmentDocument('statement.cierre')).toBeNull()
    expect(amendmentDocument('statement.cierre.amendment.0')).toBeNull()
    expect(parseView('#/statements/cierre/amendments')).toEqual({ name: 'amendments', slug: 'cierre', state: '' })
    expect(parseView('#/statements/cierre/amendments?state=accepted')).toEqual({ name: 'amendments', slug: 'cierre', state: 'accepted' })
    expect(parseView('#/statements/cierre/amendments/3')).toEqual({ name: 'amendment', slug: 'cierre', number: 3 })
    expect(parseView('#/statements/cierre/merge')).toEqual({ name: 'merge', slug: 'cierre' })
  })
})
