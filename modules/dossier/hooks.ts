/**
 * What dossier asks of the modules that keep records of a family, without depending on them
 * (they depend on dossier). An enabled module answers from its manifest's `hooks`.
 */
declare module '#core/module_manifest' {
  interface ModuleHooks {
    /**
     * Why the records of this family must outlive it (families:purge keeps it), in a few French
     * words ("2 factures à payer (24,40 €)"); null when nothing holds it. Answered by billing.
     */
    'dossier.retention-reason': (familyId: number) => Promise<string | null>
  }
}

export {}
