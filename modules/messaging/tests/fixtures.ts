import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { Family, Guardian, Child } from '#modules/dossier/index'
import type { User } from '#modules/accounts/index'
import { createUser } from '#tests/helpers/users'

export const TOPICS = [
  "Demande de modification d'éléments dans mon dossier",
  'Demande de réservation ou annulation (hors capacité ou hors délai)',
  'Remise de justificatif (absence,...)',
  'Autres demandes',
  'Facturation',
]

let sequence = 0

async function insertService(name: string, position: number, topics: string[]) {
  const now = new Date()
  const [row] = await db.table('services').insert({ name, position, created_at: now, updated_at: now }).returning('id')
  const id = Number(typeof row === 'object' ? row.id : row)
  const topicIds: Record<string, number> = {}
  for (const [index, topic] of topics.entries()) {
    const [inserted] = await db
      .table('service_topics')
      .insert({ service_id: id, name: topic, position: index, created_at: now, updated_at: now })
      .returning('id')
    topicIds[topic] = Number(typeof inserted === 'object' ? inserted.id : inserted)
  }
  return { id, name, topicIds }
}

/** The guide's "Service Enfance" and its five topics, and a second service to check the scoping. */
export async function seedCatalog() {
  const enfance = await insertService('Service Enfance', 0, TOPICS)
  const canteen = await insertService('Restauration scolaire', 1, ['Menus et régimes'])
  return { enfance, canteen }
}

/** A family with a parent account (and a child named Lya). */
export async function createFamily(lastName = 'Guerucci', user?: User) {
  sequence += 1
  const parent = user ?? (await createUser('parent'))
  const family = await Family.create({
    reference: `FAM-${Date.now().toString(36)}-${sequence}`,
    regime: 'CAF',
    resident: true,
  })
  await Guardian.create({ familyId: family.id, lastName, firstName: 'Chris', userId: parent.id, position: 1, civility: 'Mme' })
  const child = await Child.create({
    familyId: family.id,
    reference: `E${sequence}`,
    lastName,
    firstName: 'Lya',
    birthDate: '2017-03-04',
    dietNeeds: [],
    pai: false,
    vaccinationsUpToDate: true,
    imageRights: false,
  })
  return { family, parent, child }
}

export async function createAgent(serviceId: number, role: 'staff' | 'admin' = 'staff') {
  const agent = await createUser(role)
  await db.table('user_services').insert({ user_id: agent.id, service_id: serviceId })
  return agent
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])
/** A Windows executable (MZ header), to be renamed .pdf. */
export const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(256, 0)])

export function today() {
  return DateTime.now().setZone('Europe/Paris').toISODate()!
}

interface Answer {
  text(): string
  status: () => number
}

/** The HTML of a page (lint: no member access on an await expression). */
export async function textOf(request: PromiseLike<Answer>): Promise<string> {
  const response = await request
  return response.text()
}

export async function statusOf(request: PromiseLike<Answer>): Promise<number> {
  const response = await request
  return response.status()
}
