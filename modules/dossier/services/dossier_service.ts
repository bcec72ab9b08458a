import { updateContact, saveAuthorizedPerson, removeAuthorizedPerson } from '#modules/dossier/services/household_contact'
import { requestChange } from '#modules/dossier/services/change_requests'
import { addDocument, reviewDocument } from '#modules/dossier/services/family_documents'
import { saveFamily, setQuotient } from '#modules/dossier/services/household_editing'
import { saveChild } from '#modules/dossier/services/child_editing'

export { CHANGE_REQUEST_TOPIC } from '#modules/dossier/services/change_requests'

/** The rules of the family file: every change dated in the history, staff decisions audited. */
const dossierService = {
  updateContact,
  saveAuthorizedPerson,
  removeAuthorizedPerson,
  requestChange,
  addDocument,
  reviewDocument,
  setQuotient,
  saveFamily,
  saveChild,
}

export default dossierService
