import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'
import { dataPaths } from '#core/project_paths'

const s3 = services.s3({
  credentials: {
    accessKeyId: env.get('S3_KEY', ''),
    secretAccessKey: env.get('S3_SECRET', ''),
  },
  region: env.get('S3_REGION', 'eu-west-3'),
  bucket: env.get('S3_BUCKET', ''),
  endpoint: env.get('S3_ENDPOINT'),
  forcePathStyle: Boolean(env.get('S3_ENDPOINT')),
  visibility: 'private',
})

/**
 * Files are private: the fs disk is not served by the static server; every download
 * goes through a route that checks who asks. With DRIVE_DISK=s3 they live in S3.
 */
const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK', 'fs'),
  services: {
    fs: services.fs({
      location: dataPaths(app.appRoot, (name) => env.get(name)).storage,
      serveFiles: false,
      visibility: 'private',
    }),
    // The S3 client takes ~350 ms and ~24 MB to load: only in the processes that use it.
    ...(env.get('DRIVE_DISK') === 's3' ? { s3 } : {}),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
