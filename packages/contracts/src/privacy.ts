/**
 * Data-subject requests (GDPR-17): the parts the server and the web app share.
 */

/** How a requester's identity was checked before anything is disclosed. */
export const VERIFICATION_METHODS = ['known_channel', 'in_chat_code', 'id_document', 'callback', 'in_person', 'other'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
