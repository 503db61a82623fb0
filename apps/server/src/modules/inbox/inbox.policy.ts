/**
 * Who sees what in the inbox (pure). GDPR-20: a restricted contact (Art. 18 — at their request, or kept under a
 * retention duty after an erasure) is hidden from agents: its conversations leave their list, and opening one,
 * moving it, replying or reading its contact panel answers `404 conversation.not_found`, as if it did not exist.
 * Admins still see it, flagged `restricted`; the compliance role reads it through the access export
 * (docs/compliance.md).
 */

/**
 * Whether `actor` may see conversations of restricted contacts.
 *
 * @example seesRestricted({ admin: false }) // false: an agent
 */
export function seesRestricted(actor: { admin: boolean }): boolean {
  return actor.admin;
}
