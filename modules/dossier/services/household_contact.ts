import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import type Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import historyService from '#modules/dossier/services/history_service'
import pickupAccessService from '#modules/dossier/services/pickup_access_service'
import { assign, FAMILY_LABELS, phoneOrNull, who, type Changes } from '#modules/dossier/services/dossier_edits'

const PERSON_LABELS = {
  lastName: 'nom',
  firstName: 'prénom',
  phone: 'téléphone',
  relationship: 'lien',
  mayPickUp: "peut venir chercher l'enfant",
  emergencyContact: "à prévenir en cas d'urgence",
}

/** A parent's (or an agent's) change of the household's details; returns what changed. */
export async function updateContact(
  family: Family,
  data: { address: string; postalCode: string; city: string; phone?: string; mobilePhone?: string; email?: string; guardian1Phone?: string; guardian2Phone?: string },
  actor: User
): Promise<Changes> {
  const changes: Changes = []
  await db.transaction(async (trx) => {
    family.useTransaction(trx)
    assign(
      family,
      {
        address: data.address,
        postalCode: data.postalCode,
        city: data.city,
        phone: phoneOrNull(data.phone),
        mobilePhone: phoneOrNull(data.mobilePhone),
        email: data.email?.toLowerCase() ?? null,
      },
      FAMILY_LABELS,
      changes
    )
    if (changes.length) await family.save()
    const guardians = await Guardian.query({ client: trx }).where('family_id', family.id).orderBy('position')
    for (const guardian of guardians) {
      const value = guardian.position === 1 ? data.guardian1Phone : data.guardian2Phone
      const before = changes.length
      assign(guardian, { phone: phoneOrNull(value) }, { phone: 'téléphone' }, changes, `${guardian.fullName}, `)
      if (changes.length > before) await guardian.save()
    }
    if (changes.length) {
      await historyService.record(
        family.id,
        { module: 'dossier', kind: 'contact-updated', text: `Coordonnées modifiées par ${who(actor)} : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') },
        trx
      )
      if (actor.isStaff) await audit.record({ actor, action: 'dossier.contact.update', subjectType: 'family', subjectId: family.id, details: { changes } }, trx)
    }
  })
  return changes
}

/** Adds a person allowed to fetch the children (or to be called), or changes one; returns what changed. */
export async function saveAuthorizedPerson(
  family: Family,
  person: AuthorizedPerson | null,
  data: { lastName: string; firstName: string; phone: string; relationship?: string; mayPickUp?: boolean; emergencyContact?: boolean },
  actor: User
): Promise<Changes> {
  const changes: Changes = []
  const values = {
    lastName: data.lastName,
    firstName: data.firstName,
    phone: phoneOrNull(data.phone)!,
    relationship: data.relationship ?? null,
    mayPickUp: !!data.mayPickUp,
    emergencyContact: !!data.emergencyContact,
  }
  await db.transaction(async (trx) => {
    if (!person) {
      const created = await AuthorizedPerson.create({ familyId: family.id, ...values }, { client: trx })
      const roles = [created.mayPickUp ? 'peut venir chercher les enfants' : null, created.emergencyContact ? "à prévenir en cas d'urgence" : null].filter(Boolean)
      changes.push(`${created.fullName}${created.relationship ? ` (${created.relationship})` : ''}${roles.length ? ', ' + roles.join(', ') : ''}`)
      await historyService.record(family.id, { module: 'dossier', kind: 'authorized-person-added', text: `Personne autorisée ajoutée par ${who(actor)} : ${changes[0]}`, link: router.makeUrl('dossier.show') }, trx)
      if (actor.isStaff) await audit.record({ actor, action: 'dossier.person.create', subjectType: 'family', subjectId: family.id, details: { personId: created.id, changes } }, trx)
      return
    }
    person.useTransaction(trx)
    assign(person, values, PERSON_LABELS, changes)
    if (changes.length) {
      await person.save()
      await historyService.record(
        family.id,
        { module: 'dossier', kind: 'authorized-person-updated', text: `Personne autorisée ${person.fullName} modifiée par ${who(actor)} : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') },
        trx
      )
      if (actor.isStaff) await audit.record({ actor, action: 'dossier.person.update', subjectType: 'family', subjectId: family.id, details: { personId: person.id, changes } }, trx)
    }
  })
  // No longer allowed to pick the children up: their read-only access closes at once.
  if (person && !person.mayPickUp) await pickupAccessService.revoke(family, person, actor)
  return changes
}

export async function removeAuthorizedPerson(family: Family, person: AuthorizedPerson, actor: User) {
  await pickupAccessService.revoke(family, person, actor)
  await db.transaction(async (trx) => {
    await AuthorizedPerson.query({ client: trx }).where('id', person.id).where('family_id', family.id).delete()
    await historyService.record(family.id, { module: 'dossier', kind: 'authorized-person-removed', text: `Personne autorisée retirée par ${who(actor)} : ${person.fullName}`, link: router.makeUrl('dossier.show') }, trx)
    if (actor.isStaff) await audit.record({ actor, action: 'dossier.person.delete', subjectType: 'family', subjectId: family.id, details: { personId: person.id, name: person.fullName } }, trx)
  })
}
