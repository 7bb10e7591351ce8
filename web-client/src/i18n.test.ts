import { describe, it, expect } from 'vitest'
import { catalogs, chooseLanguage, setLanguage, t } from './i18n'

describe('i18n', () => {
  it('every catalog has every key, non-empty', () => {
    const keys = Object.keys(catalogs.en).sort()
    for (const [lang, cat] of Object.entries(catalogs)) {
      expect(Object.keys(cat).sort(), lang).toEqual(keys)
      for (const k of keys) expect((cat as Record<string, string>)[k], `${lang}.${k}`).not.toBe('')
    }
  })
  it('prefers the stored choice, then the browser, then English', () => {
    expect(chooseLanguage('es', ['en-US'])).toBe('es')
    expect(chooseLanguage(null, ['fr-FR', 'es-AR', 'en'])).toBe('es')
    expect(chooseLanguage('xx', ['de'])).toBe('en')
  })
  it('translates', () => {
    setLanguage('es'); expect(t('saved')).toBe('Guardado')
    setLanguage('en'); expect(t('saved')).toBe('Saved')
  })
})
