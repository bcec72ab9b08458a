import Activity from '#modules/inscriptions/models/activity'
import Registration, { STATE_LABELS } from '#modules/inscriptions/models/registration'
import { loadInSlices } from '#core/chunks'
import { formatDate, formatDateTime } from '#core/format'
import { asciiLetters } from '#core/french'

/*
 * An activity's registrations as the staff export them to a spreadsheet (the staff's « Exporter »),
 * the validated first, then the waiting list in its order, the requests, the others.
 */

/** « Accueil du mercredi — Été » → « accueil-du-mercredi-ete »: the file's name. */
export function fileSlug(name: string) {
  return asciiLetters(name)
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
}

/** The header and the rows of the export, a slice of 1,000 registrations read at a time. */
export async function registrationsTable(activity: Activity) {
  // In order, then read a slice of 1,000 at a time with their child and family (loadInSlices).
  const ordered = await Registration.query()
    .where('activity_id', activity.id)
    .orderByRaw("CASE state WHEN 'validated' THEN 0 WHEN 'waiting' THEN 1 WHEN 'requested' THEN 2 ELSE 3 END")
    .orderBy('waiting_rank')
    .orderBy('created_at')
    .orderBy('id')
    .select('id')
    .pojo<{ id: number }>()
  const registrations = await loadInSlices(
    ordered.map((row) => Number(row.id)),
    (ids) =>
      Registration.query()
        .whereIn('id', ids)
        .preload('child')
        .preload('family', (family) => family.preload('guardians')),
    (registration) => registration.id
  )
  const header = [
    'Nom',
    'Prénom',
    'Date de naissance',
    'Classe',
    'Famille',
    'Responsable',
    'Courriel',
    'Téléphone',
    'État',
    "Rang d'attente",
    "Date d'entrée",
    'Date de fin',
    'Demandée le',
    'Décidée le',
    'Motif du refus',
  ]
  const rows = registrations.map((registration) => {
    const guardian = registration.family.guardians.slice().sort((a, b) => a.position - b.position)[0]
    return [
      registration.child.lastName,
      registration.child.firstName,
      formatDate(registration.child.birthDate),
      registration.child.classLevel ?? '',
      registration.family.reference,
      guardian ? guardian.fullName : '',
      guardian?.email ?? registration.family.email ?? '',
      registration.family.mobilePhone ?? registration.family.phone ?? guardian?.phone ?? '',
      STATE_LABELS[registration.state],
      registration.waitingRank ?? '',
      formatDate(registration.startDate),
      registration.endDate ? formatDate(registration.endDate) : '',
      formatDateTime(registration.createdAt),
      registration.decidedAt ? formatDateTime(registration.decidedAt) : '',
      registration.refusalReason ?? '',
    ]
  })
  return { header, rows }
}
