import vine from '@vinejs/vine'
import { MultipartFile } from '@adonisjs/core/bodyparser'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'
import { calendarDay } from '#core/calendar_day'
import { DOCUMENT_CATEGORIES } from '#modules/dossier/models/family_document'
import { religiousDietLabel, splitList } from '#modules/dossier/services/normalize'

const PHONE = /^\+?[0-9][0-9 .\-()]{7,19}$/
const POSTAL_CODE = /^\d{5}$/

/**
 * A file sent with the form, its name without a path in it (« / », « \ », « .. »), as some
 * browsers and scripts send. Its size, its reception and its content are judged when it is
 * stored (#services/upload_service), whose sentences name the file.
 */
const uploadedFile = vine.createRule((file, _options, field) => {
  if (!(file instanceof MultipartFile)) return field.report('Choisissez un fichier.', 'required', field)
  if (/[\\/]|\.\./.test(file.clientName)) field.report('Nom de fichier refusé', 'plainFileName', field, { name: file.clientName })
})

/** Diet needs say what the child eats (« sans porc »), never a religion (CNIL). */
const dietWithoutReligion = vine.createRule((value, _options, field) => {
  const label = religiousDietLabel(splitList(String(value)))
  if (label) field.report('Pas de religion', 'dietWithoutReligion', field, { label })
})

const phone = () => vine.string().trim().maxLength(30).regex(PHONE)
const name = () => vine.string().trim().minLength(1).maxLength(120)

/** What a parent changes directly: the family's address, phones, email; the guardians' phones. */
export const contactValidator = vine.compile(
  vine.object({
    address: vine.string().trim().minLength(3).maxLength(255),
    postalCode: vine.string().trim().regex(POSTAL_CODE),
    city: vine.string().trim().minLength(1).maxLength(120),
    phone: phone().optional(),
    mobilePhone: phone().optional(),
    email: vine.string().trim().maxLength(254).email().optional(),
    guardian1Phone: phone().optional(),
    guardian2Phone: phone().optional(),
  })
)

export const authorizedPersonValidator = vine.compile(
  vine.object({
    lastName: name(),
    firstName: name(),
    phone: phone(),
    relationship: vine.string().trim().maxLength(80).optional(),
    mayPickUp: vine.boolean().optional(),
    emergencyContact: vine.boolean().optional(),
  })
)

/** A request to the service about what the parent may not change (a child's identity, the QF). */
export const changeRequestValidator = vine.compile(
  vine.object({
    subject: vine.enum(['child', 'quotient', 'other'] as const),
    childId: vine.number().withoutDecimals().positive().optional().requiredWhen('subject', '=', 'child'),
    message: vine.string().trim().minLength(10).maxLength(2000),
  })
)

export const documentValidator = vine.compile(
  vine.object({
    category: vine.enum(Object.keys(DOCUMENT_CATEGORIES) as [string, ...string[]]),
    childId: vine.number().withoutDecimals().positive().optional(),
    document: vine
      .any()
      .use(uploadedFile())
      .transform((file) => file as MultipartFile),
  })
)

export const refusalValidator = vine.compile(
  vine.object({
    refusalReason: vine.string().trim().minLength(5).maxLength(500),
  })
)

export const quotientValidator = vine.compile(
  vine.object({
    familyQuotient: vine.number().withoutDecimals().min(0).max(100000).optional(),
    quotientSource: vine.enum(['CAF', 'MSA', 'AUTRE'] as const).optional(),
    quotientReferenceDate: calendarDay().optional(),
  })
)

const guardianFields = (position: 1 | 2) => {
  const optional = position === 2
  const base = {
    [`guardian${position}Civility`]: vine.enum(['Mme', 'M.'] as const).optional(),
    [`guardian${position}LastName`]: optional ? name().optional() : name(),
    [`guardian${position}FirstName`]: optional ? name().optional() : name(),
    [`guardian${position}Email`]: vine.string().trim().maxLength(254).email().optional(),
    [`guardian${position}Phone`]: phone().optional(),
  }
  return base
}

/** The whole household as staff edit it (and create it by hand). */
export const familyValidator = vine.compile(
  vine.object({
    reference: vine.string().trim().regex(/^[\p{L}\p{N}_.\-/]{1,40}$/u),
    address: vine.string().trim().maxLength(255).optional(),
    postalCode: vine.string().trim().regex(POSTAL_CODE).optional(),
    city: vine.string().trim().maxLength(120).optional(),
    phone: phone().optional(),
    mobilePhone: phone().optional(),
    email: vine.string().trim().maxLength(254).email().optional(),
    regime: vine.enum(['CAF', 'MSA', 'AUTRE'] as const),
    resident: vine.boolean().optional(),
    sendActivation: vine.boolean().optional(),
    ...guardianFields(1),
    ...guardianFields(2),
  })
)

export const childValidator = vine.compile(
  vine.object({
    reference: vine.string().trim().regex(/^[\p{L}\p{N}_.\-/]{1,40}$/u).optional(),
    lastName: name(),
    firstName: name(),
    birthDate: calendarDay(),
    sex: vine.enum(['F', 'M'] as const).optional(),
    school: vine.string().trim().maxLength(160).optional(),
    classLevel: vine.string().trim().maxLength(40).optional(),
    dietNeeds: vine.string().trim().maxLength(500).use(dietWithoutReligion()).optional(),
    allergies: vine.string().trim().maxLength(1000).optional(),
    pai: vine.boolean().optional(),
    doctorName: vine.string().trim().maxLength(160).optional(),
    doctorPhone: phone().optional(),
    vaccinationsUpToDate: vine.boolean().optional(),
    imageRights: vine.boolean().optional(),
  })
)

export const searchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(120).optional(),
    page: vine.number().withoutDecimals().min(1).optional(),
  })
)

const PHONE_MESSAGE = "Ce numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78)."

/** The global French messages, plus the formats of this module's fields. */
const messages = new FrenchMessagesProvider({
  ...frenchMessages,
  'postalCode.regex': "Ce code postal n'est pas valide (5 chiffres, exemple : 06670).",
  'phone.regex': PHONE_MESSAGE,
  'mobilePhone.regex': PHONE_MESSAGE,
  'guardian1Phone.regex': PHONE_MESSAGE,
  'guardian2Phone.regex': PHONE_MESSAGE,
  'doctorPhone.regex': PHONE_MESSAGE,
  'reference.regex': 'La référence ne peut contenir que des lettres, des chiffres et - _ . / (40 caractères au plus).',
  'message.minLength': 'Décrivez votre demande en {{ min }} caractères au moins.',
  'childId.required': "Choisissez l'enfant concerné.",
  'document.required': 'Choisissez un fichier.',
  'document.plainFileName': "Le nom du fichier « {{ name }} » n'est pas accepté : renommez-le sans « / », « \\ » ni « .. ».",
  'dietNeeds.dietWithoutReligion': '« {{ label }} » : indiquez le besoin alimentaire (par exemple « sans porc », « sans viande »), jamais une religion.',
})

for (const validator of [
  contactValidator,
  authorizedPersonValidator,
  changeRequestValidator,
  documentValidator,
  refusalValidator,
  quotientValidator,
  familyValidator,
  childValidator,
  searchValidator,
]) {
  validator.messagesProvider = messages
}
