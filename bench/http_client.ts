/*
 * The load generator's browser, for the scenarios that sign in (logins, the rush): node:http
 * straight, one kept-alive connection per simulated browser, a cookie jar, the form's CSRF token.
 * It runs on the same cores as the server it measures, so it stays cheap: fetch (undici) cost
 * ~3 ms of CPU per login here, node:http with a connection per request ~1.5 ms.
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
 * One request; on a connection of its own unless an agent is given. An agent that keeps its
 * connection alive is what a browser does between one page and the next.
 */
export function send(url: string, options: { method?: string; cookie?: string; form?: URLSearchParams; agent?: http.Agent } = {}) {
  const body = options.form?.toString()
  const headers: Record<string, string> = {}
  if (options.cookie) headers.cookie = options.cookie
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  return new Promise<Answer>((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers, agent: options.agent ?? false }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (text += chunk))
      response.on('error', reject)
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? '', cookies: response.headers['set-cookie'] ?? [], text }))
    })
    request.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })))
    request.end(body)
  })
}

/**
 * A parent's browser: its cookies and one connection kept alive from page to page, as browsers
 * keep it (a new connection per request cost the server an accept and the load generator a
 * handshake on every page). A server closes an idle connection after its keep-alive timeout; when
 * a request meets a connection closed that way before any answer, the browser sends it again on a
 * new one, once — as browsers do (and as Node's documentation shows with `request.reusedSocket`).
 */
export class Browser {
  readonly jar = new Jar()
  #agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

  async send(url: string, options: { method?: string; form?: URLSearchParams } = {}) {
    const attempt = () => send(url, { ...options, cookie: this.jar.header, agent: this.#agent })
    let answer: Answer
    try {
      answer = await attempt()
    } catch (error) {
      const { code, reusedSocket } = error as NodeJS.ErrnoException & { reusedSocket?: boolean }
      if (!reusedSocket || !['ECONNRESET', 'EPIPE'].includes(code ?? '')) throw error
      answer = await attempt()
    }
    this.jar.take(answer)
    return answer
  }

  close() {
    this.#agent.destroy()
  }
}

export const csrfOf = (html: string) => /name=['"]_csrf['"]\s+value=['"]([^'"]+)['"]/.exec(html)?.[1] ?? ''
