import db from '@adonisjs/lucid/services/db'
import Service from '#modules/messaging/models/service'
import ServiceTopic from '#modules/messaging/models/service_topic'

function normalize(text: string) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase('fr-FR')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The commune's services and their topics (core tables), as the message form offers them. */
class CatalogService {
  async servicesWithTopics(): Promise<Service[]> {
    return Service.query()
      .preload('topics', (query) => query.orderBy('position').orderBy('id'))
      .orderBy('position')
      .orderBy('id')
  }

  async services(): Promise<Service[]> {
    return Service.query().orderBy('position').orderBy('id')
  }

  /** The service notices come from: the first one (Service Enfance in a fresh commune). */
  async defaultService(): Promise<Service | null> {
    return Service.query().orderBy('position').orderBy('id').first()
  }

  /** A topic of that service, or null when the topic belongs to another service. */
  async topicOf(serviceId: number, topicId: number): Promise<ServiceTopic | null> {
    return ServiceTopic.query().where('service_id', serviceId).where('id', topicId).first()
  }

  async topicNamed(serviceId: number, name: string): Promise<ServiceTopic | null> {
    const topics = await ServiceTopic.query().where('service_id', serviceId).orderBy('position')
    return topics.find((topic) => normalize(topic.name) === normalize(name)) ?? null
  }

  /**
   * Reads ?service=&theme= (ids, names or a part of a topic's name such as "hors délai")
   * into the form's preselection.
   */
  async preselection(services: Service[], serviceQuery?: string | null, themeQuery?: string | null) {
    const match = <T extends { id: number; name: string }>(rows: T[], wanted?: string | null): T | undefined => {
      if (!wanted) return undefined
      const text = String(wanted).trim()
      if (/^\d+$/.test(text)) return rows.find((row) => row.id === Number(text))
      const key = normalize(text)
      return rows.find((row) => normalize(row.name) === key) ?? rows.find((row) => normalize(row.name).includes(key))
    }
    let service = match(services, serviceQuery)
    let topic: ServiceTopic | undefined
    if (themeQuery) {
      const pool = service ? service.topics : services.flatMap((candidate) => candidate.topics)
      topic = match(pool, themeQuery)
      if (topic && !service) service = services.find((candidate) => candidate.id === topic!.serviceId)
    }
    if (!service && services.length === 1) service = services[0]
    return { serviceId: service?.id ?? null, topicId: topic?.id ?? null }
  }

  async createService(name: string) {
    const last = await Service.query().max('position as max').first()
    return Service.create({ name, position: Number(last?.$extras.max ?? -1) + 1 })
  }

  async createTopic(serviceId: number, name: string) {
    const last = await ServiceTopic.query().where('service_id', serviceId).max('position as max').first()
    return ServiceTopic.create({ serviceId, name, position: Number(last?.$extras.max ?? -1) + 1 })
  }

  /** Moves a row one place up or down among its siblings, renumbering them 0..n. */
  async move<T extends Service | ServiceTopic>(rows: T[], id: number, direction: 'up' | 'down') {
    const index = rows.findIndex((row) => row.id === id)
    const target = direction === 'up' ? index - 1 : index + 1
    if (index < 0 || target < 0 || target >= rows.length) return false
    const ordered = [...rows]
    ;[ordered[index], ordered[target]] = [ordered[target], ordered[index]]
    await db.transaction(async (trx) => {
      for (const [position, row] of ordered.entries()) {
        if (row.position !== position) {
          row.useTransaction(trx)
          row.position = position
          await row.save()
        }
      }
    })
    return true
  }

  async moveService(id: number, direction: 'up' | 'down') {
    return this.move(await this.services(), id, direction)
  }

  async moveTopic(topic: ServiceTopic, direction: 'up' | 'down') {
    const siblings = await ServiceTopic.query().where('service_id', topic.serviceId).orderBy('position').orderBy('id')
    return this.move(siblings, topic.id, direction)
  }
}

const catalogService = new CatalogService()
export default catalogService
