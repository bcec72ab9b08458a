import vine from '@vinejs/vine'

export const structureValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(160),
    address: vine.string().trim().minLength(3).maxLength(300),
    phones: vine.string().trim().minLength(6).maxLength(1000),
    email: vine.string().trim().email().maxLength(254).optional(),
    openingHours: vine.string().trim().minLength(3).maxLength(2000),
    ageGroups: vine.string().trim().minLength(2).maxLength(300),
    position: vine.number().withoutDecimals().min(0).max(999).optional(),
  })
)
