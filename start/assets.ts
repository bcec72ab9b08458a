import app from '@adonisjs/core/services/app'
import { PublicAssets } from '#core/asset_url'

/** The public files' content hashes (app/core/asset_url.ts): read once in production. */
const publicAssets = new PublicAssets(app.publicPath(), app.inProduction)
export default publicAssets
