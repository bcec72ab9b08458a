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
    /**
     * The accounts of the guardians who bear this identity (FranceConnect's given names, family
     * name, birth date AAAA-MM-JJ): offered to link after an emailed confirmation. Answered by dossier.
     */
    'accounts.guardian-accounts': (identity: { givenNames: string; familyName: string; birthdate: string }) => Promise<number[]>
  }

  interface ModuleContributions {
    /**
     * The data scopes a module wants FranceConnect to ask along with the identity when a parent
     * signs in with it (the parent authorises the exchange on FranceConnect's page), e.g.
     * `cnaf_quotient_familial`; empty when it wants none now (its feature unconfigured). The access
     * token then stays in the server-side session, for this session only: the module reads it
     * with `franceconnectDataToken.for(ctx, scope)` from accounts' face. Answered by dossier.
     */
    'accounts.franceconnect-data-scopes': () => string[]
  }
}

export {}
