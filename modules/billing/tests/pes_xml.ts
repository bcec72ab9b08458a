/* Reads a PES V2 file in the billing suites (not a spec file): parsed, so structure and sums are checked, not strings. */
import { XMLParser, XMLValidator } from 'fast-xml-parser'

export type PesNode = Record<string, any>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ['Bordereau', 'Piece', 'LigneDePiece'].includes(name),
})

/** The root element (n:PES_Aller), after checking the text is well-formed XML. */
export function parsePes(xml: string): PesNode {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`XML mal formé : ${JSON.stringify(valid)}`)
  const document = parser.parse(xml)
  if (!document['n:PES_Aller']) throw new Error('Pas d’élément racine n:PES_Aller')
  return document['n:PES_Aller']
}

/** The V attribute of a child element (<IdPost V="006034"/>), undefined when absent. */
export function v(node: PesNode | undefined, name: string): string | undefined {
  return node?.[name]?.V
}

/** "12.34" → 1234, refusing anything but a decimal string with 2 decimals. */
export function cents(value: string | undefined): number {
  if (!value || !/^\d+\.\d{2}$/.test(value)) throw new Error(`Montant mal écrit : ${value}`)
  return Number(value.replace('.', ''))
}
