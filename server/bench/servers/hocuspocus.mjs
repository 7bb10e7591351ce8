// @hocuspocus/server as the benchmark runs it: its documented `new Server({...}).listen()` on
// 127.0.0.1:$PORT, quiet. With BENCH_STORE_DIR set it persists each document to one file there
// (the onLoadDocument/onStoreDocument hooks, which is what its Database extension does), so the
// cold-open scenario can restart it. Prints {"msg":"listening"} and {"msg":"stored",...} lines.
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { Server } from '@hocuspocus/server'

const port = Number(process.env.PORT || 1234)
const storeDir = process.env.BENCH_STORE_DIR
const fileOf = (name) => path.join(storeDir, encodeURIComponent(name) + '.yjs')

const hooks = storeDir
  ? {
      async onLoadDocument ({ documentName, document }) {
        let bytes = null
        try { bytes = await fs.promises.readFile(fileOf(documentName)) } catch {}
        if (bytes) Y.applyUpdate(document, bytes)
        return document
      },
      async onStoreDocument ({ documentName, document }) {
        const bytes = Y.encodeStateAsUpdate(document)
        const tmp = fileOf(documentName) + '.tmp'
        await fs.promises.writeFile(tmp, bytes)
        await fs.promises.rename(tmp, fileOf(documentName))
        console.log(JSON.stringify({ msg: 'stored', doc: documentName, bytes: bytes.length }))
      }
    }
  : {}

const server = new Server({ port, address: '127.0.0.1', quiet: true, ...hooks })
await server.listen()
console.log(JSON.stringify({ msg: 'listening', port }))
