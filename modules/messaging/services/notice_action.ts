import portalConfig from '#config/portal'

export interface NoticeAction {
  label: string
  /** Absolute address of a portal page. */
  url: string
}

/**
 * A notice may end with one action of the portal (« Réserver cette place »). It is stored as the
 * body's last line, "Label : https://…", so that the text reads the same in the inbox, in the
 * mail and in an export; the inbox and the HTML mail show it as a link.
 */
export function withAction(body: string, action?: NoticeAction | null): string {
  return action ? `${body}\n\n${action.label} : ${action.url}` : body
}

/** The body without its action line, and the action as a link of this portal (relative), if it has one. */
export function splitAction(body: string): { text: string; action: { label: string; href: string } | null } {
  const match = /\n\n([^\n]{1,80}) : (https?:\/\/\S+)$/.exec(body)
  const base = portalConfig.appUrl.replace(/\/+$/, '')
  if (!match || !match[2].startsWith(`${base}/`)) return { text: body, action: null }
  return { text: body.slice(0, match.index), action: { label: match[1], href: match[2].slice(base.length) } }
}
