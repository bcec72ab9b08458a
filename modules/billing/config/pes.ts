import { PES_REQUIRED, normalizePesValue } from '#core/pes_identifiers'

/**
 * The commune's identifiers in the PES V2 file (start/env.ts checks each value at boot; here
 * only what is missing is reported). The PayFiP client number is PayFiP's own setting
 * (`PAYFIP_NUMCLI`, config/payfip.ts): PES titres do not carry it (see the README).
 */
export interface PesSettings {
  idPost: string
  libellePoste: string | null
  idColl: string
  codCol: string
  codBud: string
  libelleColBud: string
  nature: string
  fonction: string
}

export class PesConfigError extends Error {
  constructor(public missing: string[]) {
    super(
      `Configuration du PES V2 incomplète : ${missing.length >= 2 ? 'les variables' : 'la variable'} ${missing.join(', ')} ${missing.length >= 2 ? 'ne sont pas renseignées' : 'n’est pas renseignée'} (fichier .env ; valeurs données par la trésorerie). Aucun fichier n’a été écrit.`
    )
  }
}

function read(name: string): string | null {
  const value = process.env[name]
  return value?.trim() ? normalizePesValue(name, value) : null
}

/** The names of the required variables that are not set (empty when the export can run). */
export function missingPesVariables(): string[] {
  return PES_REQUIRED.filter((variable) => !read(variable.name)).map((variable) => variable.name)
}

export function pesSettings(): PesSettings {
  const missing = missingPesVariables()
  if (missing.length) throw new PesConfigError(missing)
  return {
    idPost: read('PES_ID_POST')!,
    libellePoste: read('PES_LIBELLE_POSTE'),
    idColl: read('PES_ID_COLL')!,
    codCol: read('PES_COD_COL')!,
    codBud: read('PES_COD_BUD')!,
    libelleColBud: read('PES_LIBELLE_COL_BUD')!,
    nature: read('PES_NATURE')!,
    fonction: read('PES_FONCTION')!,
  }
}
