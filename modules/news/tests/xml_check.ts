/**
 * A strict-enough XML 1.0 well-formedness check for tests (no parser is installed): one
 * root, balanced tags, quoted attributes, no stray "<" or "&". Returns the problems found.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  let roots = 0
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '')
  const name = '[A-Za-z_][\\w.:-]*'
  const attribute = `\\s+${name}\\s*=\\s*(?:"[^"<]*"|'[^'<]*')`
  const openTag = new RegExp(`^<(${name})((?:${attribute})*)\\s*(/?)>`)
  const closeTag = new RegExp(`^</(${name})\\s*>`)
  const entity = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/
  while (rest.length) {
    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->')
      if (end < 0) return [...problems, 'commentaire non fermé']
      rest = rest.slice(end + 3)
    } else if (rest.startsWith('<![CDATA[')) {
      const end = rest.indexOf(']]>')
      if (end < 0) return [...problems, 'CDATA non fermé']
      rest = rest.slice(end + 3)
    } else if (rest.startsWith('</')) {
      const match = closeTag.exec(rest)
      if (!match) return [...problems, `balise fermante invalide : ${rest.slice(0, 30)}`]
      const expected = stack.pop()
      if (expected !== match[1]) problems.push(`</${match[1]}> ferme <${expected}>`)
      rest = rest.slice(match[0].length)
    } else if (rest.startsWith('<')) {
      const match = openTag.exec(rest)
      if (!match) return [...problems, `balise invalide : ${rest.slice(0, 40)}`]
      const attributes = match[2].match(new RegExp(attribute, 'g')) ?? []
      for (const one of attributes) if (entity.test(one)) problems.push(`& non échappé dans ${one}`)
      if (!stack.length) roots += 1
      if (!match[3]) stack.push(match[1])
      rest = rest.slice(match[0].length)
    } else {
      const end = rest.indexOf('<')
      const text = end < 0 ? rest : rest.slice(0, end)
      if (entity.test(text)) problems.push(`& non échappé dans « ${text.slice(0, 40)} »`)
      if (!stack.length && text.trim()) problems.push(`texte hors de la racine : ${text.slice(0, 30)}`)
      if (/>/.test(text) && /]]>/.test(text)) problems.push(']]> dans le texte')
      rest = end < 0 ? '' : rest.slice(end)
    }
  }
  if (stack.length) problems.push(`balises non fermées : ${stack.join(', ')}`)
  if (roots !== 1) problems.push(`${roots} racines`)
  return problems
}
