/*
 * The load generator's browser, for the scenarios that sign in (logins, the rush): HTTP/1.1
 * written and read straight on a TCP socket, one kept-alive connection per simulated browser, a
 * cookie jar, the form's CSRF token. It runs on the same cores as the server it measures, so it
 * stays cheap: fetch (undici) cost ~3 ms of CPU per login here, node:http with a kept-alive
 * agent 2.2 ms (its streams, agent and parser layers around two small requests); autocannon,
 * which the other scenarios use, writes and parses its requests the same way as this.
 * What the portal's answers need: a status line, headers (several Set-Cookie), a body sized by
 * Content-Length or sent in chunks; anything else fails the request.
 */
import net from 'node:net'

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

const HEAD_END = Buffer.from('\r\n\r\n')
const LINE_END = Buffer.from('\r\n')

type Parsed = { answer: Answer; close: boolean; rest: Buffer }

/** The first complete answer in `data`, or null while it is incomplete. */
export function parseAnswer(data: Buffer): Parsed | null {
  const headEnd = data.indexOf(HEAD_END)
  if (headEnd < 0) return null
  const lines = data.toString('latin1', 0, headEnd).split('\r\n')
  const status = Number(lines[0].slice(9, 12))
  if (!lines[0].startsWith('HTTP/1.') || !Number.isInteger(status)) throw new Error(`réponse HTTP illisible : ${lines[0]}`)
  const answer: Answer = { status, location: '', cookies: [], text: '' }
  let length: number | null = null
  let chunked = false
  let close = lines[0].startsWith('HTTP/1.0')
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'set-cookie') answer.cookies.push(Buffer.from(value, 'latin1').toString('utf8'))
    else if (name === 'location') answer.location = value
    else if (name === 'content-length') length = Number(value)
    else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked')
    else if (name === 'connection') close = value.toLowerCase() === 'close'
  }
  let position = headEnd + HEAD_END.length
  if (chunked) {
    const parts: Buffer[] = []
    for (;;) {
      const sizeEnd = data.indexOf(LINE_END, position)
      if (sizeEnd < 0) return null
      const size = Number.parseInt(data.toString('latin1', position, sizeEnd), 16)
      if (!Number.isFinite(size)) throw new Error('réponse HTTP : taille de bloc illisible')
      const chunkStart = sizeEnd + LINE_END.length
      if (data.length < chunkStart + size + LINE_END.length) return null
      if (size === 0) {
        // The last chunk, then no trailer: the answer ends with an empty line.
        position = chunkStart + LINE_END.length
        break
      }
      parts.push(data.subarray(chunkStart, chunkStart + size))
      position = chunkStart + size + LINE_END.length
    }
    answer.text = Buffer.concat(parts).toString('utf8')
  } else {
    const size = length ?? 0
    if (length === null && status !== 204 && status !== 304 && !close) throw new Error('réponse HTTP sans longueur')
    if (data.length < position + size) return null
    answer.text = data.toString('utf8', position, position + size)
    position += size
  }
  return { answer, close, rest: data.subarray(position) }
}

/** One kept-alive HTTP/1.1 connection, one request at a time. */
class Connection {
  readonly socket: net.Socket
  /** An answer came on it already: a failure before the next one may be the server's idle close. */
  used = false
  closed = false
  #data: Buffer = Buffer.alloc(0)
  #pending: { resolve: (answer: Answer) => void; reject: (error: Error) => void } | null = null

  constructor(host: string, port: number) {
    this.socket = net.connect(port, host)
    this.socket.setNoDelay(true)
    this.socket.on('data', (chunk: Buffer) => this.#received(chunk))
    this.socket.on('error', (error) => this.#fail(error))
    this.socket.on('close', () => {
      this.closed = true
      this.#fail(Object.assign(new Error('connexion fermée par le serveur'), { code: 'ECONNRESET' }))
    })
  }

  request(text: string) {
    return new Promise<Answer>((resolve, reject) => {
      this.#pending = { resolve, reject }
      this.socket.write(text)
    })
  }

  #received(chunk: Buffer) {
    this.#data = this.#data.length ? Buffer.concat([this.#data, chunk]) : chunk
    if (!this.#pending) return
    let parsed: Parsed | null
    try {
      parsed = parseAnswer(this.#data)
    } catch (error) {
      this.socket.destroy()
      return this.#fail(error as Error)
    }
    if (!parsed) return
    this.#data = parsed.rest
    this.used = true
    const pending = this.#pending
    this.#pending = null
    if (parsed.close) {
      this.closed = true
      this.socket.destroy()
    }
    pending.resolve(parsed.answer)
  }

  #fail(error: Error) {
    const pending = this.#pending
    this.#pending = null
    pending?.reject(error)
  }
}

/**
 * A parent's browser: its cookies and one connection kept alive from page to page, as browsers
 * keep it (a new connection per request cost the server an accept and the load generator a
 * handshake on every page). A server closes an idle connection after its keep-alive timeout; when
 * a request meets a connection closed that way before any answer, the browser sends it again on a
 * new one, once — as browsers do.
 */
export class Browser {
  readonly jar = new Jar()
  #connection: Connection | null = null

  async send(url: string, options: { method?: string; form?: URLSearchParams } = {}) {
    const target = new URL(url)
    const body = options.form?.toString()
    const cookie = this.jar.header
    const text =
      `${options.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n` +
      (cookie ? `Cookie: ${cookie}\r\n` : '') +
      (body !== undefined ? `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
      `\r\n${body ?? ''}`
    const attempt = () => {
      if (!this.#connection || this.#connection.closed) this.#connection = new Connection(target.hostname, Number(target.port || 80))
      return this.#connection.request(text)
    }
    const reused = Boolean(this.#connection && !this.#connection.closed && this.#connection.used)
    let answer: Answer
    try {
      answer = await attempt()
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException
      if (!reused || !['ECONNRESET', 'EPIPE'].includes(code ?? '')) throw error
      this.#connection = null
      answer = await attempt()
    }
    this.jar.take(answer)
    return answer
  }

  close() {
    this.#connection?.socket.destroy()
    this.#connection = null
  }
}

export const csrfOf = (html: string) => /name=['"]_csrf['"]\s+value=['"]([^'"]+)['"]/.exec(html)?.[1] ?? ''
