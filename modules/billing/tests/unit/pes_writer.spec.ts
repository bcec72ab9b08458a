import { test } from '@japa/runner'
import { writePesFile, type PesFileData, type PesTitle } from '#modules/billing/services/pes/pes_writer'
import { decimal, pesText } from '#modules/billing/services/pes/pes_values'
import { cents, parsePes, v } from '#modules/billing/tests/pes_xml'

const settings = {
  idPost: '006034',
  libellePoste: 'SGC DE NICE',
  idColl: '21060004200019',
  codCol: '123',
  codBud: '01',
  libelleColBud: 'COMMUNE DE COLOMARS',
  nature: '7067',
  fonction: '251',
}

const debtor = { reference: 'F0042', civility: 'Mme' as const, lastName: 'DURAND', firstName: 'Camille', street: '1 rue des Écoles', postalCode: '06670', city: 'Colomars' }

function title(pieceNumber: number, amounts: number[], overrides: Partial<PesTitle> = {}): PesTitle {
  return {
    pieceNumber,
    invoiceNumber: `2026-${String(pieceNumber).padStart(6, '0')}`,
    object: `Facture n° ${pieceNumber} - septembre 2026`,
    periodStart: '2026-09-01',
    periodEnd: '2026-09-30',
    lines: amounts.map((amount, index) => ({ label: `Ligne ${index + 1}`, amountCents: amount })),
    debtor,
    debit: null,
    ...overrides,
  }
}

function file(overrides: Partial<PesFileData> = {}): PesFileData {
  return {
    settings,
    fileName: 'PES_21060004200019_01_2026_B00003.xml',
    createdOn: '2026-10-05',
    exercise: 2026,
    month: '2026-09',
    monthLabel: 'septembre 2026',
    titles: { number: 3, earlierCents: 100_000, pieces: [title(11, [1220, 305]), title(12, [7])] },
    reductions: null,
    ...overrides,
  }
}

test.group('PES V2 writer', () => {
  test('decimal strings are exact, in cents', ({ assert }) => {
    assert.equal(decimal(0), '0.00')
    assert.equal(decimal(7), '0.07')
    assert.equal(decimal(1220), '12.20')
    assert.equal(decimal(123456789), '1234567.89')
    assert.throws(() => decimal(12.5))
  })

  test('text stays within Latin-1: typographic signs in ASCII, no control character, PES lengths', ({ assert }) => {
    assert.equal(pesText('Aïssatou N’Diaye — «\u00a0Œuvre\u00a0» …', 100), 'Aïssatou N\'Diaye - « OEuvre » ...')
    assert.equal(pesText('Ligne\tavec\nretours\u0007', 100), 'Ligne avec retours')
    assert.equal(pesText('Đorđe Łukasz 李', 100), 'Dorde Lukasz')
    assert.equal(pesText('abcdef', 3), 'abc')
  })

  test('envelope, header and bordereau carry the configured identifiers, with V attributes', ({ assert }) => {
    const root = parsePes(writePesFile(file()))
    assert.equal(root['xmlns:n'], 'http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller')
    const parameters = root.Enveloppe.Parametres
    assert.deepEqual([v(parameters, 'Version'), v(parameters, 'TypFic'), v(parameters, 'NomFic')], ['2', 'PESALR2', 'PES_21060004200019_01_2026_B00003.xml'])
    assert.equal(v(root.Enveloppe.Recepteur, 'Sigle'), 'HELIOS')
    const header = root.EnTetePES
    assert.deepEqual(
      ['DteStr', 'IdPost', 'LibellePoste', 'IdColl', 'CodCol', 'CodBud', 'LibelleColBud'].map((name) => v(header, name)),
      ['2026-10-05', '006034', 'SGC DE NICE', '21060004200019', '123', '01', 'COMMUNE DE COLOMARS']
    )
    const recette = root.PES_RecetteAller
    assert.equal(v(recette.EnTeteRecette, 'IdVer'), '2')
    assert.equal(v(recette.EnTeteRecette, 'InfoDematerialisee'), '0')
    assert.lengthOf(recette.Bordereau, 1)
    const bloc = recette.Bordereau[0].BlocBordereau
    assert.deepEqual(['Exer', 'IdBord', 'DteBordEm', 'TypBord', 'NbrPce'].map((name) => v(bloc, name)), ['2026', '3', '2026-10-05', '01', '2'])
    // 12.20 + 3.05 + 0.07 = 15.32; the exercise's earlier bordereaux (1 000.00) are in the cumulative amount.
    assert.equal(v(bloc, 'MtBordHt'), '15.32')
    assert.equal(v(bloc, 'MtCumulAnnuel'), '1015.32')
  })

  test('one piece per invoice, one line per invoice line; the lines add up to MtBordHt', ({ assert }) => {
    const bordereau = parsePes(writePesFile(file())).PES_RecetteAller.Bordereau[0]
    const pieces = bordereau.Piece
    assert.lengthOf(pieces, 2)
    assert.deepEqual(
      ['IdPce', 'TypPce', 'NatPce', 'NumeroFacture', 'DebFact', 'FinFact'].map((name) => v(pieces[0].BlocPiece, name)),
      ['11', '01', '01', '2026-000011', '2026-09-01', '2026-09-30']
    )
    const lines = pieces.flatMap((piece: any) => piece.LigneDePiece)
    assert.lengthOf(lines, 3)
    const first = lines[0].BlocLignePiece.InfoLignePiece
    assert.deepEqual(['IdLigne', 'ObjLignePce', 'Nature', 'Fonction', 'MtHT'].map((name) => v(first, name)), ['1', 'Ligne 1', '7067', '251', '12.20'])
    const sum = lines.reduce((total: number, line: any) => total + cents(v(line.BlocLignePiece.InfoLignePiece, 'MtHT')), 0)
    assert.equal(sum, cents(v(bordereau.BlocBordereau, 'MtBordHt')))
    const tiers = lines[0].Tiers
    assert.deepEqual(['RefTiers', 'Civilite', 'Nom', 'Prenom'].map((name) => v(tiers.InfoTiers, name)), ['F0042', 'Mme', 'DURAND', 'Camille'])
    assert.deepEqual(['Adr2', 'CP', 'Ville'].map((name) => v(tiers.Adresse, name)), ['1 rue des Écoles', '06670', 'Colomars'])
    assert.notProperty(tiers, 'CpteBancaire')
    assert.notProperty(lines[0].BlocLignePiece, 'InfoPrelevementSEPA')
  })

  test('a family under direct debit: the SEPA block and the bank account', ({ assert }) => {
    const debit = { rum: 'F0042-20260901-01', signedOn: '2026-09-01', sequence: 'FRST' as const, iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', holder: 'Camille Durand' }
    const root = parsePes(writePesFile(file({ titles: { number: 1, earlierCents: 0, pieces: [title(1, [1220], { debit })] } })))
    const line = root.PES_RecetteAller.Bordereau[0].Piece[0].LigneDePiece[0]
    const sepa = line.BlocLignePiece.InfoPrelevementSEPA
    assert.deepEqual(
      ['NatPrel', 'MtPrel', 'SequencePres', 'DateSignMandat', 'RefUniMdt'].map((name) => v(sepa, name)),
      ['01', '12.20', '02', '2026-09-01', 'F0042-20260901-01']
    )
    assert.deepEqual(['BIC', 'IBAN', 'TitCpte'].map((name) => v(line.Tiers.CpteBancaire, name)), ['AGRIFRPP', 'FR7630006000011234567890189', 'Camille Durand'])
  })

  test('names and labels are escaped: the file stays well-formed and reads back the same', ({ assert }) => {
    const tricky = { ...debtor, lastName: 'O\'BRIEN & <FILS> "AÎNÉ"', street: '3 chemin <des> Près & Bois' }
    const xml = writePesFile(file({ titles: { number: 1, earlierCents: 0, pieces: [title(1, [500], { debtor: tricky, lines: [{ label: 'Cantine <midi> & goûter', amountCents: 500 }] })] } }))
    assert.notInclude(xml, '<FILS>')
    const line = parsePes(xml).PES_RecetteAller.Bordereau[0].Piece[0].LigneDePiece[0]
    // fast-xml-parser leaves entities in attributes as written: decode the five XML ones.
    const decode = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
    assert.equal(decode(v(line.Tiers.InfoTiers, 'Nom')!), 'O\'BRIEN & <FILS> "AÎNÉ"')
    assert.equal(decode(v(line.Tiers.Adresse, 'Adr2')!), '3 chemin <des> Près & Bois')
    assert.equal(decode(v(line.BlocLignePiece.InfoLignePiece, 'ObjLignePce')!), 'Cantine <midi> & goûter')
  })

  test('credit notes: a cancellation/reduction bordereau whose pieces point to the original title', ({ assert }) => {
    const reduction = {
      pieceNumber: 13,
      creditNoteNumber: 'AV2026-000004',
      object: 'Avoir AV2026-000004 sur la facture 2026-000011 : repas non servi',
      amountCents: 305,
      original: { exercise: 2026, pieceNumber: 11, invoiceNumber: '2026-000011' },
      debtor,
    }
    const root = parsePes(writePesFile(file({ reductions: { number: 4, earlierCents: 1000, pieces: [reduction] } })))
    const [ordinary, reductions] = root.PES_RecetteAller.Bordereau
    assert.equal(v(ordinary.BlocBordereau, 'TypBord'), '01')
    const bloc = reductions.BlocBordereau
    assert.deepEqual(['IdBord', 'TypBord', 'NbrPce', 'MtBordHt', 'MtCumulAnnuel'].map((name) => v(bloc, name)), ['4', '02', '1', '3.05', '13.05'])
    const piece = reductions.Piece[0]
    assert.deepEqual(['IdPce', 'TypPce', 'NatPce', 'NumeroFacture'].map((name) => v(piece.BlocPiece, name)), ['13', '02', '06', 'AV2026-000004'])
    assert.deepEqual(['NatPceOrig', 'ExerRat', 'IdPceOrig'].map((name) => v(piece.BlocPiece.RattachPiece, name)), ['01', '2026', '11'])
    assert.equal(v(piece.LigneDePiece[0].BlocLignePiece.InfoLignePiece, 'MtHT'), '3.05')
  })

  test('a reductions-only file has no ordinary bordereau; a title without a positive line is refused', ({ assert }) => {
    const reduction = { pieceNumber: 2, creditNoteNumber: 'AV2026-000001', object: 'Avoir', amountCents: 100, original: { exercise: 2026, pieceNumber: 1, invoiceNumber: '2026-000001' }, debtor }
    const root = parsePes(writePesFile(file({ titles: { number: 0, earlierCents: 0, pieces: [] }, reductions: { number: 5, earlierCents: 0, pieces: [reduction] } })))
    assert.lengthOf(root.PES_RecetteAller.Bordereau, 1)
    assert.equal(v(root.PES_RecetteAller.Bordereau[0].BlocBordereau, 'TypBord'), '02')
    assert.throws(() => writePesFile(file({ titles: { number: 1, earlierCents: 0, pieces: [title(1, [])] } })), /pas de ligne à montant positif/)
    assert.throws(() => writePesFile(file({ titles: { number: 1, earlierCents: 0, pieces: [title(1, [500, -100])] } })), /pas de ligne à montant positif/)
  })
})
