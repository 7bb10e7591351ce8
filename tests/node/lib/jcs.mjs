// RFC 8785 (JCS) canonical JSON, written from the RFC, for the values tests sign and log
// (strings, numbers, booleans, null, arrays, objects): JSON.stringify already writes numbers
// and strings as JCS wants them; only object member order (UTF-16 code units, which is JS's
// default sort) is added. The one copy shared by the node suites and the web client's
// bundle fixture (web-client/tests/bundle-fixture.mjs), independent of the code under test.
export function jcs (value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return '[' + value.map(jcs).join(',') + ']'
  return '{' + Object.keys(value).sort().map(k => JSON.stringify(k) + ':' + jcs(value[k])).join(',') + '}'
}
