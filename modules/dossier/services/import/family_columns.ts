/** The columns of a families file (one row per child): see modules/dossier/README.md. */

export const FAMILY_COLUMNS = [
  'famille_ref',
  'responsable1_civilite',
  'responsable1_nom',
  'responsable1_prenom',
  'responsable1_email',
  'responsable1_telephone',
  'responsable2_civilite',
  'responsable2_nom',
  'responsable2_prenom',
  'responsable2_email',
  'responsable2_telephone',
  'adresse',
  'code_postal',
  'ville',
  'quotient_familial',
  'regime',
] as const

export const CHILD_COLUMNS = [
  'enfant_ref',
  'enfant_nom',
  'enfant_prenom',
  'enfant_date_naissance',
  'enfant_sexe',
  'ecole',
  'classe',
] as const

export const ALL_COLUMNS: readonly string[] = [...FAMILY_COLUMNS, ...CHILD_COLUMNS]
export const REQUIRED_COLUMNS = [
  'famille_ref',
  'responsable1_nom',
  'responsable1_prenom',
  'enfant_ref',
  'enfant_nom',
  'enfant_prenom',
  'enfant_date_naissance',
]
