/**
 * What accounts asks of the modules that know more than logins, without depending on them
 * (they depend on accounts). An enabled module answers from its manifest's `hooks`.
 */
declare module '#core/module_manifest' {
  interface ModuleHooks {
    /**
     * The accounts acting for the family of this reference (accounts:send-activations --family);
     * null when no family has it. Answered by dossier.
     */
    'accounts.family-logins': (reference: string) => Promise<number[] | null>
  }
}

export {}
