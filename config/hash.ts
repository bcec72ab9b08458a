import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * argon2id at OWASP's minimum (19 MiB, 2 iterations, parallelism 1): the hash is the
 * physical limit of the back-to-school login rush, so it is chosen knowingly.
 * Hashes made with other parameters are rehashed at the next successful login.
 */
const hashConfig = defineConfig({
  default: 'argon',
  list: {
    argon: drivers.argon2({
      version: 0x13,
      variant: 'id',
      iterations: 2,
      memory: 19456,
      parallelism: 1,
      saltSize: 16,
      hashLength: 32,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
