// The web client's own copies of yjs, prosemirror-model and y-prosemirror (web-client/
// node_modules, pinned by its lockfile). y-prosemirror must be used with the yjs it imports
// itself, so both are loaded from there rather than from tests/node's yjs.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const modules = path.join(repoRoot, 'web-client/node_modules')

// The file Node's ESM resolver would pick for `import name` from inside web-client.
function entry (name) {
  const dir = path.join(modules, name)
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const exp = pkg.exports?.['.'] ?? pkg.exports
  const file = (typeof exp === 'string' ? exp : exp?.import) ?? pkg.module ?? pkg.main
  return pathToFileURL(path.join(dir, file)).href
}

export const Y = await import(entry('yjs'))
export const PM = await import(entry('prosemirror-model'))
export const YPM = await import(entry('y-prosemirror'))
