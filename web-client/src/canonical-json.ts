// The JSON Canonicalization Scheme (RFC 8785, "JCS") for values built in the browser.
//
// Endorsements are signed as bytes and verified by the server, which rebuilds the same bytes
// with server/signon/include/accord/signon/canonical_json.h. Both sides must therefore follow
// the same rules exactly:
// - no whitespace;
// - object members sorted by the UTF-16 code units of their names (what `<` on JS strings
//   compares, so "\u{1F600}" (D83D DE00) sorts before "\uFB33");
// - strings escaped as JSON.stringify does (\b \t \n \f \r \" \\, other controls \u00xx,
//   everything else literal, including "/", DEL and U+2028);
// - numbers as Number.prototype.toString writes them (String(n) *is* that algorithm; -0 → "0").
// What JCS cannot represent is refused with a CanonicalJsonError rather than silently
// dropped or repaired, unlike JSON.stringify: NaN and ±Infinity, lone surrogates (the C++ side
// refuses them too; well-formed JSON.stringify would write "\ud800"), undefined, functions,
// symbols, bigints, and objects that are not plain objects or arrays (a Date or a Map would
// otherwise be serialized through toJSON or as "{}"). Nesting deeper than MAX_JSON_DEPTH is
// refused, as on the server; this also stops cyclic values.

/** Arrays and objects nested deeper than this are refused (the server's kMaxJsonDepth). */
export const MAX_JSON_DEPTH = 256

export type JsonValue = null | boolean | number | string | JsonValue[] | { [name: string]: JsonValue }

export class CanonicalJsonError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'CanonicalJsonError'
  }
}

/** The canonical JSON text of `value` (throws CanonicalJsonError for what JCS refuses). */
export function canonicalJson (value: unknown): string {
  const out: string[] = []
  write(value, 0, '$', out)
  return out.join('')
}

/** The UTF-8 bytes of canonicalJson(value): what is hashed and signed. */
export function canonicalJsonBytes (value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value))
}

function write (value: unknown, depth: number, where: string, out: string[]): void {
  if (value === null) { out.push('null'); return }
  switch (typeof value) {
    case 'boolean': out.push(value ? 'true' : 'false'); return
    case 'number': out.push(formatNumber(value, where)); return
    case 'string': out.push(quote(value, where)); return
    case 'object': break
    default: throw new CanonicalJsonError(`${where}: ${typeof value} has no JSON form`)
  }
  // Arrays and objects: the depth counts containers, as the server's parser does.
  if (depth >= MAX_JSON_DEPTH) throw new CanonicalJsonError(`${where}: nested deeper than ${MAX_JSON_DEPTH} levels`)
  if (Array.isArray(value)) {
    out.push('[')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',')
      // A hole in a sparse array is undefined, refused like any undefined.
      write(value[i], depth + 1, `${where}[${i}]`, out)
    }
    out.push(']')
    return
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`${where}: only plain objects and arrays have a JSON form (got ${proto?.constructor?.name ?? 'an object'})`)
  }
  // Own enumerable string keys; symbol keys would be dropped silently by JSON.stringify.
  if (Object.getOwnPropertySymbols(value).length > 0) throw new CanonicalJsonError(`${where}: symbol keys have no JSON form`)
  // Default sort compares UTF-16 code units, which is exactly JCS's order. Keys of one object
  // are distinct, so no tie-breaking is needed. (Lone surrogates in names are refused below.)
  const names = Object.keys(value).sort()
  out.push('{')
  names.forEach((name, i) => {
    if (i > 0) out.push(',')
    out.push(quote(name, `${where} (member name)`), ':')
    write((value as Record<string, unknown>)[name], depth + 1, `${where}.${name}`, out)
  })
  out.push('}')
}

/** ECMAScript Number::toString of a finite number; NaN and ±Infinity are refused. */
export function formatNumber (n: number, where = '$'): string {
  if (!Number.isFinite(n)) throw new CanonicalJsonError(`${where}: ${n} is not a JSON number`)
  return String(n) // "0" for -0, "1e+21", "1e-7", shortest round-trip digits
}

function quote (s: string, where: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0
      if (next < 0xdc00 || next > 0xdfff) throw new CanonicalJsonError(`${where}: lone surrogate U+${hex4(c)} at ${i}`)
      out += s[i] + s[i + 1]
      i++
      continue
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new CanonicalJsonError(`${where}: lone surrogate U+${hex4(c)} at ${i}`)
    if (c === 0x22) out += '\\"'
    else if (c === 0x5c) out += '\\\\'
    else if (c < 0x20) out += SHORT_ESCAPES[c] ?? '\\u' + hex4(c).toLowerCase()
    else out += s[i]
  }
  return out + '"'
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' }

function hex4 (c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0')
}
