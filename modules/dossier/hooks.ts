/**
 * What dossier asks of the modules that keep records of a family, without depending on them
 * (they depend on dossier). An enabled module answers from its manifest's `hooks` (one answer)
 * or `contributions` (every module's answer).
 */

/** A module's part of the family's RGPD export: plain JSON data, in the module's own words. */
export type ExportSection = Record<string, unknown>

/** A day a child is expected at an activity (booked, no absence declared). */
export interface PickupDay {
  /** ISO day AAAA-MM-JJ. */
  day: string
  childId: number
  activity: string
}

declare module '#core/module_manifest' {
  interface ModuleHooks {
    /**
     * Why the records of this family must outlive it (families:purge keeps it), in a few French
     * words ("2 factures à payer (24,40 €)"); null when nothing holds it. Answered by billing.
     */
    'dossier.retention-reason': (familyId: number) => Promise<string | null>
    /**
     * The days these children of this family are expected at an activity between two ISO days
     * (included), booked by this family (a shared child's weeks booked by the other household
     * are theirs), for the read-only page of the persons who pick them up, in day order.
     * Answered by planning.
     */
    'dossier.pickup-days': (query: { familyId: number; childIds: number[]; from: string; to: string }) => Promise<PickupDay[]>
  }

  interface ModuleContributions {
    /**
     * What the module keeps about this family, for the family's own export ("Mes données", right of
     * access and portability): everything personal, in full (it is the person's own data), or null
     * when it keeps nothing. Collected from every enabled module, in module order, under
     * `modules.<name>` of the export; an answer that fails fails the export (never a silently
     * incomplete one). Answered by billing (SEPA mandates with their IBAN, invoices).
     */
    'dossier.export-section': (familyId: number) => Promise<ExportSection | null>
    /**
     * Lines the module adds to each child's card on « Mes enfants » (inscriptions: the activities
     * the child is registered to), in French, keyed by child id; a child without lines is left out.
     */
    'dossier.child-card-lines': (childIds: number[]) => Promise<Map<number, string[]>>
    /**
     * The services (ids of `services`) whose agents work with this child through the module (an
     * activity of that service the child is registered to). An agent of one of them may see the
     * child's photo; administrators always may. Answered by inscriptions (the services of the
     * activity types of the child's current registrations).
     */
    'dossier.child-staff-services': (childId: number) => Promise<number[]>
  }
}
