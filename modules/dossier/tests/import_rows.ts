import { ALL_COLUMNS } from '#modules/dossier/services/import/family_import'

/** Rows of a families:import file, as the import tests write them. */
export type Row = Record<string, string>

export function familyRow(n: number, child: number, overrides: Row = {}): Row {
  const ref = `F${String(n).padStart(5, '0')}`
  return {
    famille_ref: ref,
    responsable1_civilite: 'Mme',
    responsable1_nom: `Nom${n}`,
    responsable1_prenom: 'Claire',
    responsable1_email: `claire.${n}@exemple.fr`,
    responsable1_telephone: '06 12 34 56 78',
    responsable2_civilite: n % 2 ? 'M.' : '',
    responsable2_nom: n % 2 ? `Nom${n}` : '',
    responsable2_prenom: n % 2 ? 'Paul' : '',
    responsable2_email: '',
    responsable2_telephone: '',
    adresse: `${n} rue de la Paix`,
    code_postal: '06670',
    ville: 'Colomars',
    quotient_familial: String(400 + (n % 1500)),
    regime: n % 5 ? 'CAF' : 'MSA',
    enfant_ref: `E${child}`,
    enfant_nom: `Nom${n}`,
    enfant_prenom: `Enfant${child}`,
    enfant_date_naissance: child % 2 ? `0${1 + (n % 9)}/03/2016` : `2019-0${1 + (n % 9)}-1${child % 10}`,
    enfant_sexe: child % 2 ? 'F' : 'M',
    ecole: 'École du Village',
    classe: child % 2 ? 'CM2' : 'GS',
    ...overrides,
  }
}

export function toCsvText(rows: Row[], { sep = ';', eol = '\r\n', columns = [...ALL_COLUMNS] }: { sep?: string; eol?: string; columns?: string[] } = {}) {
  const cell = (value: string) => (/[";,\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
  return [columns.join(sep), ...rows.map((row) => columns.map((column) => cell(row[column] ?? '')).join(sep))].join(eol) + eol
}
