import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import communeSettings from '#services/commune_settings'

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml', webp: 'image/webp' }

/** The commune's logo, stored privately through Drive like every file, served publicly here. */
export default class LogoController {
  async show({ response }: HttpContext) {
    const { logoPath } = await communeSettings.get()
    if (!logoPath) return response.notFound()
    const disk = drive.use()
    if (!(await disk.exists(logoPath))) return response.notFound()
    const extension = logoPath.split('.').pop()!.toLowerCase()
    response.header('Content-Type', TYPES[extension] ?? 'application/octet-stream')
    response.header('Cache-Control', 'public, max-age=300')
    if (extension === 'svg') response.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
    return response.send(Buffer.from(await disk.getBytes(logoPath)))
  }
}
