import { describe, it, expect } from 'vitest'
import { canonicalJson, canonicalJsonBytes, CanonicalJsonError, MAX_JSON_DEPTH } from './canonical-json'

// A double from its IEEE 754 bit pattern, as RFC 8785 appendix B lists them.
const fromBits = (hex: string) => new DataView(new BigUint64Array([BigInt('0x' + hex)]).buffer).getFloat64(0, true)

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the example of section 3.2.2', () => {
    // The RFC's input text, parsed as the browser would receive it.
    const input = JSON.parse(`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
      "literals": [null, true, false]
    }`)
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
  })

  it('sorts names by UTF-16 code units (section 3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      1: 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis'
    }
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
      '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}')
    // The UTF-8 bytes the server hashes: the emoji's four bytes come before U+FB33's three,
    // although F0 > EF — the order is by UTF-16, not by bytes or code points.
    const hex = Array.from(canonicalJsonBytes(input), b => b.toString(16).padStart(2, '0')).join('')
    expect(hex.indexOf('f09f9880')).toBeGreaterThan(0)
    expect(hex.indexOf('f09f9880')).toBeLessThan(hex.indexOf('efacb3'))
  })

  it('writes numbers as ECMAScript does (appendix B)', () => {
    const table: Array<[string, string]> = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'], // -0
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2']
    ]
    for (const [bits, text] of table) expect(canonicalJson(fromBits(bits)), bits).toBe(text)
    // The same boundaries the server's tests pin.
    expect(canonicalJson([0, -0, 1, -1, 10, 1e20, 1e21, 1e-7, 1.5e-7, 0.1, 0.30000000000000004, -125]))
      .toBe('[0,0,1,-1,10,100000000000000000000,1e+21,1e-7,1.5e-7,0.1,0.30000000000000004,-125]')
  })

  it('refuses NaN and Infinity (appendix B lists them as errors)', () => {
    for (const bad of [NaN, Infinity, -Infinity, fromBits('7fffffffffffffff'), fromBits('7ff0000000000000')]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError)
      expect(() => canonicalJson({ a: [1, bad] })).toThrow(/\$\.a\[1\]/)
    }
  })

  it('escapes strings exactly as JSON.stringify does', () => {
    expect(canonicalJson('\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f'))
      .toBe('"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\u007f"')
    expect(canonicalJson('\u2028\u2029/é😀')).toBe('"\u2028\u2029/é😀"')
    // For every code unit outside the surrogates, agree with the engine's JSON.stringify.
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue
      const s = 'a' + String.fromCharCode(c) + 'b'
      if (canonicalJson(s) !== JSON.stringify(s)) throw new Error(`U+${c.toString(16)} differs`)
    }
  })

  it('sorts nested objects, keeps array order, puts a prefix first', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: {}, '': [] })).toBe('{"":[],"a":{},"b":[{"a":2,"z":1},3]}')
    expect(canonicalJson({ ab: 1, a: 2, b: 3, A: 4 })).toBe('{"A":4,"a":2,"ab":1,"b":3}')
    // Integer-like names, which JS enumerates numerically first, still sort as strings.
    expect(canonicalJson({ 9: 'nine', 10: 'ten', a: 'a', 1: 'one' })).toBe('{"1":"one","10":"ten","9":"nine","a":"a"}')
    expect(canonicalJson(Object.assign(Object.create(null), { y: true, x: null }))).toBe('{"x":null,"y":true}')
  })

  it('refuses lone surrogates, in values and in names', () => {
    for (const bad of ['\ud800', '\udc00\ud800', '\ud800x', 'x\udfff']) {
      expect(() => canonicalJson(bad)).toThrow(/lone surrogate/)
      expect(() => canonicalJson({ [bad]: 1 })).toThrow(/member name/)
    }
  })

  it('refuses what has no JSON form instead of dropping it', () => {
    const refused: unknown[] = [
      undefined, { a: undefined }, [undefined], () => 1, Symbol('s'), 1n, new Date(0), new Map(),
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2], { [Symbol('k')]: 1 }, new (class Point { x = 1 })()
    ]
    for (const bad of refused) expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError)
  })

  it('bounds nesting like the server, which also stops cycles', () => {
    let ok: unknown = []
    for (let i = 1; i < MAX_JSON_DEPTH; i++) ok = [ok]
    expect(canonicalJson(ok)).toBe('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))
    expect(() => canonicalJson([ok])).toThrow(/nested deeper/)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => canonicalJson(cyclic)).toThrow(/nested deeper/)
  })
})
