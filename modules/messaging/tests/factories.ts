/* The services messaging routes to, their agents, and families to write from (tests/helpers/factories.ts lists them all). */
import db from '@adonisjs/lucid/services/db'
import type { User } from '#modules/accounts/index'
import { createFamily as createFamilyFile } from '#modules/dossier/tests/factories'
import { createUser } from '#tests/helpers/users'

export const TOPICS = [
  "Demande de modification d'éléments dans mon dossier",
  'Demande de réservation ou annulation (hors capacité ou hors délai)',
  'Remise de justificatif (absence,...)',
  'Autres demandes',
  'Facturation',
]

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

/** A family with a parent account (Mme Chris <lastName>, or the given account) and a child named Lya. */
export async function createFamily(lastName = 'Guerucci', user?: User) {
  const { family, user: parent, child } = await createFamilyFile({
    lastName,
    guardians: [{ civility: 'Mme', firstName: 'Chris', ...(user ? { user } : {}) }],
    children: [{ firstName: 'Lya', birthDate: '2017-03-04' }],
  })
  return { family, parent, child }
}

/** An agent who belongs to the service. */
export async function createAgent(serviceId: number, role: 'staff' | 'admin' = 'staff') {
  const agent = await createUser(role)
  await db.table('user_services').insert({ user_id: agent.id, service_id: serviceId })
  return agent
}
