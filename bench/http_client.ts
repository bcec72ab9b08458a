/*
 * The load generator's browser, for the scenarios that sign in (logins, the rush): node:http
 * straight, a connection per request as distinct browsers open them, a cookie jar, the form's
 * CSRF token. It runs on the same cores as the server it measures, so it stays cheap: fetch
 * (undici) cost ~3 ms of CPU per login here, this ~1.5 ms.
 */
import http from 'node:http'

export interface Answer {
  status: number
  location: string
  cookies: string[]
  text: string
}

export class Jar {
  #cookies = new Map<string, string>()

  take(response: Answer) {
    for (const line of response.cookies) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }

  get header() {
    return [...this.#cookies].map(([key, value]) => `${key}=${value}`).join('; ')
  }
}

/**
 * One request on a connection of its own. With keep-alive, a server whose event loop stalls
 * longer than its keepAliveTimeout closes idle sockets just as the next request arrives
 * (ECONNRESET): a browser replays it silently, a load generator would fail the journey.
 */
export function send(url: string, options: { method?: string; cookie?: string; form?: URLSearchParams } = {}) {
  const body = options.form?.toString()
  const headers: Record<string, string> = {}
  if (options.cookie) headers.cookie = options.cookie
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  return new Promise<Answer>((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers, agent: false }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (text += chunk))
      response.on('error', reject)
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? '', cookies: response.headers['set-cookie'] ?? [], text }))
    })
    request.on('error', reject)
    request.end(body)
  })
}

export const csrfOf = (html: string) => /name=['"]_csrf['"]\s+value=['"]([^'"]+)['"]/.exec(html)?.[1] ?? ''
