import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import type Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import historyService from '#modules/dossier/services/history_service'
import { splitList } from '#modules/dossier/services/normalize'
import { assign, phoneOrNull, type Changes } from '#modules/dossier/services/dossier_edits'
import { de } from '#core/french'

const CHILD_LABELS = {
  reference: 'référence',
  lastName: 'nom',
  firstName: 'prénom',
  birthDate: 'date de naissance',
  sex: 'sexe',
  school: 'école',
  classLevel: 'classe',
  dietNeeds: 'régime alimentaire',
  allergies: 'allergies',
  pai: 'PAI',
  doctorName: 'médecin',
  doctorPhone: 'téléphone du médecin',
  vaccinationsUpToDate: 'vaccinations à jour',
  imageRights: "droit à l'image",
}

/** The service adds a child to a household (a reference made up when none is given) or edits one. */
export async function saveChild(family: Family, child: Child | null, data: Record<string, any>, actor: User): Promise<{ child: Child; changes: Changes }> {
  const changes: Changes = []
  const record = await db.transaction(async (trx) => {
    const target = child ?? new Child()
    target.useTransaction(trx)
    let reference = data.reference
    if (!reference && !child) {
      const count = await Child.query({ client: trx }).where('family_id', family.id).count('* as total')
      reference = `E${String(Number(count[0].$extras.total) + 1).padStart(4, '0')}`
      while (await Child.query({ client: trx }).where('family_id', family.id).where('reference', reference).first()) {
        reference = `E${Math.floor(Math.random() * 9000 + 1000)}`
      }
    }
    const values = {
      reference: reference ?? child!.reference,
      lastName: data.lastName,
      firstName: data.firstName,
      birthDate: data.birthDate,
      sex: data.sex ?? null,
      school: data.school ?? null,
      classLevel: data.classLevel ?? null,
      dietNeeds: splitList(data.dietNeeds),
      allergies: data.allergies ?? null,
      pai: !!data.pai,
      doctorName: data.doctorName ?? null,
      doctorPhone: phoneOrNull(data.doctorPhone),
      vaccinationsUpToDate: !!data.vaccinationsUpToDate,
      imageRights: !!data.imageRights,
    }
    if (child) assign(target, values, CHILD_LABELS, changes)
    else Object.assign(target, values, { familyId: family.id })
    await target.save()
    const text = child
      ? changes.length
        ? `Fiche ${de(target.firstName)} modifiée par le service : ${changes.join(' ; ')}`
        : null
      : `Enfant ajouté au dossier par le service : ${target.firstName} ${target.lastName}`
    if (text) {
      await historyService.record(family.id, { module: 'dossier', kind: child ? 'child-updated' : 'child-added', text, link: router.makeUrl('dossier.show') }, trx)
      await audit.record({ actor, action: child ? 'dossier.child.update' : 'dossier.child.create', subjectType: 'family', subjectId: family.id, details: { childId: target.id, changes } }, trx)
    }
    return target
  })
  return { child: record, changes }
}
