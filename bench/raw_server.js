// Benchmark baseline (a): a bare Node http server answering "ok", on 127.0.0.1:<port>.
import { createServer } from 'node:http'

const port = Number(process.argv[2] ?? 4501)
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 2 })
  response.end('ok')
})
server.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
