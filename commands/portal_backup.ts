import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Saves the database and the private files into one tar.gz, while the portal keeps running.
 * Restored with portal:restore.
 */
export default class PortalBackup extends BaseCommand {
  static commandName = 'portal:backup'
  static description = 'Sauvegarde la base et les fichiers privés (pièces jointes, documents, logo) dans une archive .tar.gz, portail en marche'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Fichier de la sauvegarde à créer, ex. /var/backups/portail/2026-12-02.tar.gz' })
  declare file: string

  async run() {
    const { resolve } = await import('node:path')
    const { mkdir } = await import('node:fs/promises')
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: drive } = await import('@adonisjs/drive/services/main')
    const { backupPortal } = await import('#services/portal_backup')
    const { reportBackupFailure } = await import('#services/backup_database')
    const { formatNumber, plural } = await import('#core/french')
    try {
      const workDir = this.app.tmpPath()
      await mkdir(workDir, { recursive: true })
      const archivePath = resolve(this.file)
      const manifest = await backupPortal({ connectionName: db.primaryConnectionName, disk: drive.use(), archivePath, workDir })
      const rows = Object.values(manifest.database.tables).reduce((sum, count) => sum + count, 0)
      const bytes = manifest.files.reduce((sum, file) => sum + file.size, 0)
      this.logger.success(
        `Sauvegarde écrite dans ${archivePath} : ${plural(Object.keys(manifest.database.tables).length, 'table')} (${plural(rows, 'ligne')}), ${plural(manifest.files.length, 'fichier')} (${formatNumber(bytes / 1048576, 1)} Mo).`
      )
      if (manifest.skipped?.length) {
        const many = manifest.skipped.length > 1
        this.logger.warning(
          `${plural(manifest.skipped.length, 'fichier')} du stockage ${many ? 'ont un nom que le portail ne lit pas et ne sont pas sauvegardés' : 'a un nom que le portail ne lit pas et n’est pas sauvegardé'} : ${manifest.skipped.join(', ')}.`
        )
      }
    } catch (error) {
      this.logger.error(reportBackupFailure(error, 'La sauvegarde'))
      this.exitCode = 1
    }
  }
}
