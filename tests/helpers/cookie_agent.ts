import env from '#start/env'

/**
 * A plain HTTP client with its own cookie jar, like one browser: the api client's session
 * plugin replaces and destroys the session of every request, so a session that must live
 * across requests (a second device, a parent of a child server) goes through this agent.
 */
export class CookieAgent {
  jar = new Map<string, string>()
  /** The Set-Cookie lines of the last response. */
  lastSetCookies: string[] = []
  base: string
  userAgent?: string

  constructor(options: { base?: string; userAgent?: string } = {}) {
    this.base = options.base ?? `http://${env.get('HOST')}:${env.get('PORT')}`
    this.userAgent = options.userAgent
  }

  private store(response: Response) {
    this.lastSetCookies = response.headers.getSetCookie()
    for (const line of this.lastSetCookies) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index)
      const value = pair.slice(index + 1)
      if (!value || /Max-Age=-1|Expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name)
      else this.jar.set(name, value)
    }
  }

  private headers(): Record<string, string> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ')
    return this.userAgent ? { cookie, 'user-agent': this.userAgent } : { cookie }
  }

  async get(path: string) {
    const response = await fetch(this.base + path, { headers: this.headers(), redirect: 'manual' })
    this.store(response)
    return { status: response.status, location: response.headers.get('location'), text: await response.text() }
  }

  /** The CSRF token of a form page (this agent's session), to send a form later. */
  async csrfToken(from: string) {
    const page = await this.get(from)
    const csrf = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)?.[1]
    if (!csrf) throw new Error(`pas de jeton CSRF sur ${from}`)
    return csrf
  }

  /**
   * Sends a form with a given CSRF token; a list value is sent as `name[]` fields. `signal`
   * aborts it as a browser leaving the page does: the connection is closed.
   */
  async send(path: string, form: Record<string, string | string[]>, csrf: string, headers: Record<string, string> = {}, signal?: AbortSignal) {
    const body = new URLSearchParams({ _csrf: csrf })
    for (const [name, value] of Object.entries(form)) {
      if (Array.isArray(value)) for (const item of value) body.append(`${name}[]`, item)
      else body.set(name, value)
    }
    const response = await fetch(this.base + path, {
      method: 'POST',
      headers: { ...this.headers(), ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      redirect: 'manual',
      signal,
    })
    this.store(response)
    return { status: response.status, location: response.headers.get('location'), text: await response.text() }
  }

  /** Posts a form with the CSRF token read from `csrfFrom`. */
  async post(path: string, form: Record<string, string | string[]>, csrfFrom = path) {
    return this.send(path, form, await this.csrfToken(csrfFrom))
  }
}
