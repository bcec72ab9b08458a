import db from '@adonisjs/lucid/services/db'

/** The commune's services (core table `services`), in their order, as a select lists them. */
export async function serviceOptions(): Promise<{ value: number; label: string }[]> {
  const rows = await db.from('services').orderBy('position').orderBy('name').select('id', 'name')
  return rows.map((row) => ({ value: Number(row.id), label: String(row.name) }))
}

/** Service names by id, for the staff lists. */
export async function serviceNames(): Promise<Map<number, string>> {
  return new Map((await serviceOptions()).map((option) => [option.value, option.label]))
}

export async function serviceExists(serviceId: number): Promise<boolean> {
  return Boolean(await db.from('services').where('id', serviceId).select('id').first())
}
