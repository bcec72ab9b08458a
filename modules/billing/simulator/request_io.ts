import type { IncomingMessage, ServerResponse } from 'node:http'

/** The request's body as text, refused past `limit` characters. */
export function readBody(request: IncomingMessage, limit = 100_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk) => {
      body += chunk
      if (body.length > limit) {
        reject(new Error('Requête trop grande'))
        request.destroy()
      }
    })
    request.on('end', () => resolve(body))
    request.on('error', reject)
  })
}

export function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers })
  response.end(body)
}

export function sendHtml(response: ServerResponse, status: number, html: string) {
  send(response, status, 'text/html; charset=utf-8', html)
}
