import vine from '@vinejs/vine'
import { calendarDay as isoDay } from '#core/calendar_day'
import { atLeastField } from '#core/field_order'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'

/** One day of one child, as the planning's checkboxes send it: "<child id>-<day id>". */
const childDay = () => vine.string().regex(/^\d{1,9}-\d{1,9}$/)

/** Far above what any planning page shows (days × children × activities), below a flood. */
const MAX_BOXES = 5000

/** The basket: every enabled box the page showed, the ticked ones, and the button pressed. */
export const basketValidator = vine.compile(
  vine.object({
    shown: vine.array(childDay()).maxLength(MAX_BOXES).optional(),
    selected: vine.array(childDay()).maxLength(MAX_BOXES).optional(),
    action: vine.enum(['apply', 'preview', 'finish']).optional(),
  })
)

const time = () => vine.string().trim().regex(/^([01]?\d|2[0-3]):[0-5]\d$/)

export const absenceValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().maxLength(500).optional(),
    certificate: vine.file({ size: '40mb' }).optional(),
  })
)

/** A period (from … to) unless school holidays are chosen, whose own days are used then. */
export const advancedValidator = vine.compile(
  vine
    .object({
      registration: vine.string().trim().regex(/^\d+-\d+$/),
      mode: vine.enum(['book', 'cancel']),
      holiday: vine.number().withoutDecimals().optional(),
      weekdays: vine.array(vine.number().withoutDecimals().range([1, 7])).optional(),
    })
    .merge(
      vine.group([
        vine.group.if((data) => !data.holiday, { from: isoDay(), to: isoDay().use(atLeastField('from')) }),
        vine.group.else({ from: isoDay().optional(), to: isoDay().optional() }),
      ])
    )
)

const deadlineFields = (prefix: string) => ({
  [`${prefix}_kind`]: vine.enum(['days_before', 'hours_before', 'weekly_cutoff', 'none']),
  [`${prefix}_days`]: vine.number().withoutDecimals().range([0, 120]).optional(),
  [`${prefix}_hours`]: vine.number().withoutDecimals().range([0, 2000]).optional(),
  [`${prefix}_weekday`]: vine.number().withoutDecimals().range([1, 7]).optional(),
  [`${prefix}_time`]: time().optional(),
  [`${prefix}_skip_weekends`]: vine.boolean().optional(),
})

export const settingsValidator = vine.compile(
  vine.object({
    room_capacity: vine.number().withoutDecimals().range([0, 2000]),
    ratio_kind: vine.enum(['holiday', 'after_school']),
    staff_under6: vine.number().withoutDecimals().range([0, 200]),
    staff_over6: vine.number().withoutDecimals().range([0, 200]),
    holiday_mode: vine.enum(['school_weeks', 'holidays_only', 'all']),
    booking_opens_on: isoDay().optional(),
    ...deadlineFields('booking'),
    ...deadlineFields('cancel'),
  })
)

export const generateValidator = vine.compile(
  vine.object({
    from: isoDay().optional(),
    to: isoDay().optional(),
  })
)

export const holidayValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    zone: vine.string().trim().maxLength(12).optional(),
    starts_on: isoDay(),
    ends_on: isoDay().use(atLeastField('starts_on')),
  })
)

export const closureValidator = vine.compile(
  vine.object({
    date: isoDay(),
    reason: vine.string().trim().minLength(2).maxLength(200),
    activity_id: vine.number().withoutDecimals().min(1).optional(),
  })
)

export const cancelOnBehalfValidator = vine.compile(
  vine.object({
    booking_id: vine.number().withoutDecimals().min(1),
    reason: vine.string().trim().minLength(3).maxLength(500),
  })
)

export const onBehalfValidator = vine.compile(
  vine.object({
    child_id: vine.number().withoutDecimals(),
    reason: vine.string().trim().minLength(3).maxLength(500),
    over_capacity: vine.boolean().optional(),
  })
)

const NO_PERIOD = 'Indiquez une période (du … au …) ou choisissez des vacances scolaires.'

advancedValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'from.required': NO_PERIOD,
  'to.required': NO_PERIOD,
  'to.atLeastField': 'La fin de la période doit être le jour du début ou après.',
})

holidayValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'ends_on.atLeastField': 'La fin des vacances doit suivre leur début.',
})

const patternWeekdays = () => vine.array(vine.number().withoutDecimals().range([1, 7])).minLength(1).maxLength(7)

/** A weekly pattern: the registration (child and activity), its weekdays and an optional last day. */
export const weeklyPatternValidator = vine.compile(
  vine.object({
    registration: vine.string().trim().regex(/^\d{1,9}-\d{1,9}$/),
    weekdays: patternWeekdays(),
    until: isoDay().optional(),
  })
)

/** A pattern's change: its weekdays and last day (the child and the activity stay). */
export const weeklyPatternChangeValidator = vine.compile(
  vine.object({
    weekdays: patternWeekdays(),
    until: isoDay().optional(),
  })
)

const patternMessages = {
  ...frenchMessages,
  'registration.required': "Choisissez l'enfant et l'activité.",
  'registration.regex': "Choisissez l'enfant et l'activité dans la liste.",
  'weekdays.required': 'Cochez au moins un jour de la semaine.',
  'weekdays.minLength': 'Cochez au moins un jour de la semaine.',
  'weekdays.array.minLength': 'Cochez au moins un jour de la semaine.',
}
weeklyPatternValidator.messagesProvider = new FrenchMessagesProvider(patternMessages)
weeklyPatternChangeValidator.messagesProvider = new FrenchMessagesProvider(patternMessages)
