import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { plural } from '#core/french'

/** French messages for every form; a validator may add its own field names. */
export const frenchMessages = {
  'required': 'Ce champ est obligatoire.',
  'string': 'Ce champ doit être un texte.',
  'email': "Cette adresse électronique n'est pas valide (exemple : prenom.nom@exemple.fr).",
  'minLength': 'Ce champ doit contenir au moins {{ min }} caractères.',
  'maxLength': 'Ce champ doit contenir au plus {{ max }} caractères.',
  'fixedLength': 'Ce champ doit contenir exactement {{ size }} caractères.',
  'number': 'Ce champ doit être un nombre.',
  'min': 'La valeur doit être au moins {{ min }}.',
  'max': 'La valeur doit être au plus {{ max }}.',
  'range': 'La valeur doit être comprise entre {{ min }} et {{ max }}.',
  'positive': 'La valeur doit être positive.',
  'withoutDecimals': 'La valeur doit être un nombre entier.',
  'decimal': 'La valeur doit être un nombre décimal.',
  'date': "Cette date n'est pas valide (format attendu : JJ/MM/AAAA).",
  'date.equals': 'La date doit être le {{ expectedValue }}.',
  'date.after': 'La date doit être postérieure au {{ expectedValue }}.',
  'date.afterOrEqual': 'La date doit être le {{ expectedValue }} ou après.',
  'date.before': 'La date doit être antérieure au {{ expectedValue }}.',
  'date.beforeOrEqual': 'La date doit être le {{ expectedValue }} ou avant.',
  'enum': "Cette valeur n'est pas proposée.",
  'in': "Cette valeur n'est pas proposée.",
  'boolean': 'Cette case doit être cochée ou non.',
  'accepted': 'Vous devez accepter pour continuer.',
  'confirmed': 'Les deux valeurs ne correspondent pas.',
  'atLeastField': 'Cette valeur doit être au moins celle du champ précédent.',
  'regex': "Ce champ n'a pas le bon format.",
  'mobile': "Ce numéro de téléphone n'est pas valide.",
  'postalCode': "Ce code postal n'est pas valide.",
  'url': "Cette adresse web n'est pas valide.",
  'array': 'Ce champ doit être une liste.',
  'array.minLength': 'Choisissez au moins {{ elements }}.',
  'array.maxLength': 'Choisissez au plus {{ elements }}.',
  'object': 'Ce champ est mal formé.',
  'database.unique': 'Cette valeur est déjà utilisée.',
  'database.exists': "Cette valeur n'existe pas.",
  'file': 'Ce champ doit être un fichier.',
  'file.size': 'Le fichier dépasse la taille autorisée ({{ size }}).',
  'file.extname': 'Ce type de fichier n’est pas accepté ({{ extnames }}).',
}

/** The messages above, with "{{ elements }}" agreed with the rule's count ("1 élément", "3 éléments"). */
export class FrenchMessagesProvider extends SimpleMessagesProvider {
  getMessage(rawMessage: string, rule: string, field: FieldContext, args?: Record<string, any>) {
    const count = rule === 'array.minLength' ? args?.min : rule === 'array.maxLength' ? args?.max : undefined
    return super.getMessage(rawMessage, rule, field, typeof count === 'number' ? { ...args, elements: plural(count, 'élément') } : args)
  }
}

vine.messagesProvider = new FrenchMessagesProvider(frenchMessages)
