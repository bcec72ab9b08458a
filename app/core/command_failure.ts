/**
 * Every failure of an Ace command, told as one French sentence on stderr (never a stack trace),
 * whether it happens while booting (environment, configuration, database) or inside a command.
 * bin/console.ts installs it for the kernel and for the boot; PORTAL_DEBUG=1 adds the stack.
 */

type Failure = Error & { code?: string; help?: string; path?: string; address?: string; port?: number; commandName?: string }

const quoted = (message: string) => /"([^"]+)"/.exec(message)?.[1] ?? ''

/** EnvValidationException's help: "- Missing environment variable "PORT"" lines, or a schema's own message. */
function describeEnvironment(help: string) {
  const lines = help.split('\n').map((line) => line.replace(/^-\s*/, '').trim()).filter(Boolean)
  const missing = lines.filter((line) => line.startsWith('Missing environment variable')).map(quoted)
  const invalid = lines.filter((line) => !line.startsWith('Missing environment variable')).map((line) => quoted(line) || line)
  const parts = [
    missing.length ? `${missing.join(', ')} ${missing.length > 1 ? 'manquent' : 'manque'}` : '',
    invalid.length ? `valeur invalide pour ${invalid.join(', ')}` : '',
  ].filter(Boolean)
  return (
    `Configuration incomplète (${parts.join(' ; ')}) : lancez une fois \`npm start\`, qui crée le fichier .env ` +
    `à partir de .env.example, ou copiez .env.example en .env et renseignez APP_KEY, ou définissez ces variables dans l'environnement.`
  )
}

const ACE_ERRORS: Record<string, (message: string) => string> = {
  E_COMMAND_NOT_FOUND: (m) => `La commande « ${quoted(m)} » n'existe pas : \`node ace list\` les liste toutes.`,
  E_MISSING_FLAG: (m) => `L'option ${quoted(m)} est obligatoire : \`node ace <commande> --help\` en donne l'usage.`,
  E_MISSING_FLAG_VALUE: (m) => `L'option ${quoted(m)} attend une valeur : \`node ace <commande> --help\` en donne l'usage.`,
  E_MISSING_ARG: (m) => `L'argument « ${quoted(m)} » est obligatoire : \`node ace <commande> --help\` en donne l'usage.`,
  E_MISSING_ARG_VALUE: (m) => `L'argument « ${quoted(m)} » attend une valeur : \`node ace <commande> --help\` en donne l'usage.`,
  E_UNKNOWN_FLAG: (m) => `Option inconnue ${quoted(m)} : \`node ace <commande> --help\` liste les options acceptées.`,
  E_INVALID_FLAG: (m) => `Valeur invalide pour l'option --${quoted(m)} : \`node ace <commande> --help\` en donne l'usage.`,
  E_PROMPT_CANCELLED: () => `Saisie annulée : rien n'a été fait.`,
}

/** A missing table or column: the database was not migrated (or not up to date). */
function missingSchema(message: string) {
  const table = /no such table: (\S+)/.exec(message)?.[1] ?? /relation "([^"]+)" does not exist/.exec(message)?.[1]
  if (table) return `table « ${table} » absente`
  const column = /no such column: (\S+)/.exec(message)?.[1] ?? /column "([^"]+)" does not exist/.exec(message)?.[1]
  return column ? `colonne « ${column} » absente` : undefined
}

const FILE_ERRORS: Record<string, string> = {
  EACCES: 'accès refusé',
  EPERM: 'opération interdite',
  EROFS: 'système de fichiers en lecture seule',
  ENOENT: 'chemin introuvable',
  ENOTDIR: "un élément du chemin n'est pas un dossier",
  EEXIST: 'un fichier existe déjà à cet endroit',
  ENOSPC: 'disque plein',
}

/** The sentence for any error reaching the top of an Ace command; `offModule`: the disabled module owning the command not found. */
export function describeCommandFailure(error: unknown, offModule?: string): string {
  if (!(error instanceof Error)) return `La commande a échoué : ${String(error)}.`
  const failure = error as Failure
  const message = failure.message ?? ''
  if (failure.name === 'ModuleConfigurationError') return `Le portail ne peut pas démarrer : ${message}`
  if (failure.code === 'E_INVALID_ENV_VARIABLES') return describeEnvironment(failure.help ?? '')
  if (failure.code === 'E_COMMAND_NOT_FOUND' && offModule) {
    return `La commande ${failure.commandName} appartient au module « ${offModule} », qui est désactivé (PORTAL_MODULES) : rien n'a été fait.`
  }
  if (failure.code && ACE_ERRORS[failure.code]) return ACE_ERRORS[failure.code](message)
  const schema = missingSchema(message)
  if (schema) {
    return `La base de données n'est pas à jour (${schema}) : lancez d'abord \`node ace migration:run --force\`, puis relancez la commande.`
  }
  if (failure.code === 'SQLITE_CANTOPEN' || /unable to open database file|Cannot open database because the directory does not exist/.test(message)) {
    return `Impossible d'ouvrir la base SQLite : vérifiez que le dossier de SQLITE_PATH existe et est accessible en écriture.`
  }
  if (failure.code && FILE_ERRORS[failure.code] && failure.path) {
    return `Impossible d'utiliser « ${failure.path} » (${FILE_ERRORS[failure.code]}) : vérifiez SQLITE_PATH, STORAGE_PATH et MAIL_OUTBOX_PATH dans .env.`
  }
  if (failure.code === 'ECONNREFUSED' || failure.code === 'ENOTFOUND' || failure.code === 'ETIMEDOUT') {
    const where = failure.address ? ` (${failure.address}${failure.port ? `:${failure.port}` : ''})` : ''
    return `Le serveur de base de données${where} ne répond pas : vérifiez DB_HOST et DB_PORT, et qu'il est démarré.`
  }
  if (failure.code === '28P01' || failure.code === '3D000') {
    return `PostgreSQL refuse la connexion (${message}) : vérifiez DB_USER, DB_PASSWORD et DB_DATABASE.`
  }
  const text = message.replace(/\s+/g, ' ').trim().replace(/[.:;]$/, '')
  return `La commande a échoué : ${text || failure.name}.`
}

/** Writes the sentence (and, with PORTAL_DEBUG=1, the stack) to stderr. */
export async function reportCommandFailure(error: unknown) {
  let offModule: string | undefined
  const commandName = (error as Failure | null)?.commandName
  if ((error as Failure | null)?.code === 'E_COMMAND_NOT_FOUND' && commandName) {
    offModule = await import('#start/module_commands').then((loader) => loader.disabledOwnerOf(commandName)).catch(() => undefined)
  }
  process.stderr.write(`${describeCommandFailure(error, offModule)}\n`)
  if (process.env.PORTAL_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
}
