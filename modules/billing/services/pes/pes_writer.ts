import type { PesSettings } from '#modules/billing/config/pes'
import type { LoopShare } from '#core/loop_share'
import { escapeXml } from '#modules/billing/services/payment/payfip_soap'
import { decimal, pesText as text } from '#modules/billing/services/pes/pes_values'

/*
 * PES V2 "PES_Aller / PES_RecetteAller" writer: data in, XML text out (pure). Every value is an
 * empty element with a V attribute (<IdPost V="006034"/>), as the PES dictionary prescribes.
 * The choices element by element are in modules/billing/README.md, section "PES V2".
 */

export interface PesDebtor {
  /** The family's reference (RefTiers: the commune's own id for the debtor). */
  reference: string
  civility: 'Mme' | 'M.' | null
  lastName: string
  firstName: string | null
  street: string | null
  postalCode: string | null
  city: string | null
}

export interface PesDebit {
  rum: string
  signedOn: string
  sequence: 'FRST' | 'RCUR'
  iban: string
  bic: string | null
  holder: string
}

export interface PesLine {
  label: string
  amountCents: number
}

export interface PesTitle {
  pieceNumber: number
  invoiceNumber: string
  object: string
  periodStart: string
  periodEnd: string
  lines: PesLine[]
  debtor: PesDebtor
  debit: PesDebit | null
}

export interface PesReduction {
  pieceNumber: number
  creditNoteNumber: string
  object: string
  amountCents: number
  original: { exercise: number; pieceNumber: number; invoiceNumber: string }
  debtor: PesDebtor
}

export interface PesBordereau<Piece> {
  number: number
  /** Total of this exercise's earlier bordereaux of the same kind, in cents. */
  earlierCents: number
  pieces: Piece[]
}

export interface PesFileData {
  settings: PesSettings
  fileName: string
  createdOn: string
  exercise: number
  month: string
  monthLabel: string
  titles: PesBordereau<PesTitle>
  reductions: PesBordereau<PesReduction> | null
}

const NAMESPACES = {
  'xmlns:n': 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
}


class XmlBuilder {
  private out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  /** The lines already joined, a block each (see `compact`). */
  private blocks: string[] = []
  private depth = 0

  open(name: string, attributes: Record<string, string> = {}) {
    const attrs = Object.entries(attributes)
      .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
      .join('')
    this.out.push(`${'  '.repeat(this.depth)}<${name}${attrs}>`)
    this.depth++
    return this
  }

  close(name: string) {
    this.depth--
    this.out.push(`${'  '.repeat(this.depth)}</${name}>`)
    return this
  }

  /** <Name V="value"/>, left out when the value is null or empty (optional elements). */
  value(name: string, value: string | number | null | undefined) {
    if (value === null || value === undefined || value === '') return this
    this.out.push(`${'  '.repeat(this.depth)}<${name} V="${escapeXml(String(value))}"/>`)
    return this
  }

  /**
   * Joins the lines written so far into one block: a month's file joined at the end would be
   * one join of a million lines (a third of a second in one go); joined piece by piece, each
   * join is short and the last one puts 20,000 blocks together.
   */
  compact() {
    this.blocks.push(this.out.join('\n'))
    this.out = []
  }

  toString() {
    this.compact()
    return this.blocks.join('\n') + '\n'
  }
}

const SEQUENCE_CODES = { FRST: '02', RCUR: '03' } as const

export function titleCents(title: PesTitle): number {
  return title.lines.reduce((sum, line) => sum + line.amountCents, 0)
}

function bordereauCents<Piece>(bordereau: PesBordereau<Piece>, amount: (piece: Piece) => number) {
  return bordereau.pieces.reduce((sum, piece) => sum + amount(piece), 0)
}

function writeTiers(xml: XmlBuilder, debtor: PesDebtor, debit: PesDebit | null) {
  xml.open('Tiers').open('InfoTiers')
  xml.value('RefTiers', text(debtor.reference, 15))
  xml.value('CatTiers', '01') // personne physique
  xml.value('NatJur', '01') // particulier
  xml.value('TypTiers', '01')
  xml.value('Civilite', debtor.civility === 'M.' ? 'M' : debtor.civility)
  xml.value('Nom', text(debtor.lastName, 38))
  xml.value('Prenom', debtor.firstName ? text(debtor.firstName, 38) : null)
  xml.close('InfoTiers')
  xml.open('Adresse')
  xml.value('TypAdr', '1')
  xml.value('Adr2', debtor.street ? text(debtor.street, 38) : null)
  xml.value('CP', debtor.postalCode ? text(debtor.postalCode, 5) : null)
  xml.value('Ville', debtor.city ? text(debtor.city, 38) : null)
  xml.value('CodRes', '0') // résident en France
  xml.close('Adresse')
  if (debit) {
    xml.open('CpteBancaire')
    xml.value('BIC', debit.bic)
    xml.value('IBAN', debit.iban)
    xml.value('TitCpte', text(debit.holder, 32))
    xml.close('CpteBancaire')
  }
  xml.close('Tiers')
}

function writeBlocBordereau(xml: XmlBuilder, data: PesFileData, bordereau: PesBordereau<unknown>, type: '01' | '02', cents: number, object: string) {
  xml.open('BlocBordereau')
  xml.value('Exer', data.exercise)
  xml.value('IdBord', bordereau.number)
  xml.value('DteBordEm', data.createdOn)
  xml.value('TypBord', type)
  xml.value('NbrPce', bordereau.pieces.length)
  xml.value('MtCumulAnnuel', decimal(bordereau.earlierCents + cents))
  xml.value('MtBordHt', decimal(cents))
  xml.value('Objet', text(object, 160))
  xml.close('BlocBordereau')
}

function writeTitle(xml: XmlBuilder, data: PesFileData, title: PesTitle) {
  const { settings } = data
  xml.open('Piece').open('BlocPiece')
  xml.value('IdPce', title.pieceNumber)
  xml.value('TypPce', '01') // titre ordinaire
  xml.value('NatPce', '01') // fonctionnement
  xml.value('ObjPce', text(title.object, 160))
  xml.value('DebFact', title.periodStart)
  xml.value('FinFact', title.periodEnd)
  xml.value('NumeroFacture', text(title.invoiceNumber, 20))
  xml.close('BlocPiece')
  title.lines.forEach((line, index) => {
    xml.open('LigneDePiece').open('BlocLignePiece')
    xml.open('InfoLignePiece')
    xml.value('IdLigne', index + 1)
    xml.value('ObjLignePce', text(line.label, 160))
    xml.value('Nature', settings.nature)
    xml.value('Fonction', settings.fonction)
    xml.value('MtHT', decimal(line.amountCents))
    xml.close('InfoLignePiece')
    if (title.debit) {
      xml.open('InfoPrelevementSEPA')
      xml.value('NatPrel', '01')
      xml.value('PerPrel', '07') // ponctuel : one debit per invoice
      xml.value('MtPrel', decimal(line.amountCents))
      xml.value('SequencePres', SEQUENCE_CODES[title.debit.sequence])
      xml.value('DateSignMandat', title.debit.signedOn)
      xml.value('RefUniMdt', title.debit.rum)
      xml.value('LibPrel', text(`Facture ${title.invoiceNumber} ${data.monthLabel}`, 140))
      xml.close('InfoPrelevementSEPA')
    }
    xml.close('BlocLignePiece')
    writeTiers(xml, title.debtor, title.debit)
    xml.close('LigneDePiece')
  })
  xml.close('Piece')
}

function writeReduction(xml: XmlBuilder, data: PesFileData, reduction: PesReduction) {
  xml.open('Piece').open('BlocPiece')
  xml.value('IdPce', reduction.pieceNumber)
  xml.value('TypPce', '02') // pièce d'annulation / réduction
  xml.value('NatPce', '06') // annulation / réduction
  xml.value('ObjPce', text(reduction.object, 160))
  xml.value('NumeroFacture', text(reduction.creditNoteNumber, 20))
  xml.open('RattachPiece')
  xml.value('NatPceOrig', '01')
  xml.value('ExerRat', reduction.original.exercise)
  xml.value('IdPceOrig', reduction.original.pieceNumber)
  xml.close('RattachPiece')
  xml.close('BlocPiece')
  xml.open('LigneDePiece').open('BlocLignePiece').open('InfoLignePiece')
  xml.value('IdLigne', 1)
  xml.value('ObjLignePce', text(reduction.object, 160))
  xml.value('Nature', data.settings.nature)
  xml.value('Fonction', data.settings.fonction)
  xml.value('MtHT', decimal(reduction.amountCents))
  xml.close('InfoLignePiece').close('BlocLignePiece')
  writeTiers(xml, reduction.debtor, null)
  xml.close('LigneDePiece').close('Piece')
}

/** The whole file. Throws when a title has no line or an amount is not positive (never a partial file). */
export function writePesFile(data: PesFileData): string {
  const xml = new XmlBuilder()
  const pieces = writePieces(xml, data)
  while (!pieces.next().done) continue
  return xml.toString()
}

/** The same file, giving the event loop back between pieces (a month's file in the server's process). */
export async function writePesFileSharing(data: PesFileData, share: LoopShare): Promise<string> {
  const xml = new XmlBuilder()
  const pieces = writePieces(xml, data)
  while (!pieces.next().done) await share.turn()
  return xml.toString()
}

/** Writes the file into `xml`, pausing (yield) after each piece. */
function* writePieces(xml: XmlBuilder, data: PesFileData): Generator<void> {
  for (const title of data.titles.pieces) {
    if (!title.lines.length || title.lines.some((line) => !Number.isInteger(line.amountCents) || line.amountCents <= 0)) {
      throw new Error(`La facture ${title.invoiceNumber} n’a pas de ligne à montant positif : elle ne peut pas devenir un titre.`)
    }
  }
  const { settings } = data
  xml.open('n:PES_Aller', NAMESPACES)
  xml.open('Enveloppe').open('Parametres')
  xml.value('Version', '2').value('TypFic', 'PESALR2').value('NomFic', data.fileName)
  xml.close('Parametres')
  xml.open('Emetteur').value('Sigle', text(settings.libelleColBud, 50)).value('Adresse', 'Portail Famille').close('Emetteur')
  xml.open('Recepteur').value('Sigle', 'HELIOS').value('Adresse', text(settings.libellePoste ?? `Poste comptable ${settings.idPost}`, 50)).close('Recepteur')
  xml.close('Enveloppe')
  xml.open('EnTetePES')
  xml.value('DteStr', data.createdOn)
  xml.value('IdPost', settings.idPost)
  xml.value('LibellePoste', settings.libellePoste ? text(settings.libellePoste, 50) : null)
  xml.value('IdColl', settings.idColl)
  xml.value('CodCol', settings.codCol)
  xml.value('CodBud', settings.codBud)
  xml.value('LibelleColBud', text(settings.libelleColBud, 50))
  xml.close('EnTetePES')
  xml.open('PES_RecetteAller')
  xml.open('EnTeteRecette').value('IdVer', '2').value('InfoDematerialisee', '0').close('EnTeteRecette')
  if (data.titles.pieces.length) {
    xml.open('Bordereau')
    writeBlocBordereau(xml, data, data.titles, '01', bordereauCents(data.titles, titleCents), `Factures ${data.monthLabel}`)
    for (const title of data.titles.pieces) {
      writeTitle(xml, data, title)
      xml.compact()
      yield
    }
    xml.close('Bordereau')
  }
  if (data.reductions?.pieces.length) {
    xml.open('Bordereau')
    writeBlocBordereau(xml, data, data.reductions, '02', bordereauCents(data.reductions, (piece) => piece.amountCents), `Avoirs sur les factures ${data.monthLabel}`)
    for (const reduction of data.reductions.pieces) {
      writeReduction(xml, data, reduction)
      xml.compact()
      yield
    }
    xml.close('Bordereau')
  }
  xml.close('PES_RecetteAller')
  xml.close('n:PES_Aller')
}
