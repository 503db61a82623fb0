-- GDPR-20 in open inboxes: when a contact's processing is restricted or the restriction is lifted, each of its
-- conversations gets a `conversation.visibility` event, in the same transaction. The event carries no state of its
-- own: the feed reads whether the contact is restricted when it delivers the event (the privacy module's rule), and
-- delivers it to every reader — an agent's inbox learns to drop the conversation, or to show it again.
CREATE FUNCTION parley_inbox_restriction_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inbox_events (workspace_id, conversation_id, kind, payload)
  SELECT c.workspace_id, c.id, 'conversation.visibility', jsonb_build_object('at', now())
  FROM conversations c WHERE c.workspace_id = NEW.workspace_id AND c.contact_id = NEW.contact_id;
  PERFORM pg_notify('parley_inbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contact_restrictions_inbox_restricted AFTER INSERT ON contact_restrictions FOR EACH ROW
  EXECUTE FUNCTION parley_inbox_restriction_event();
--> statement-breakpoint
CREATE TRIGGER contact_restrictions_inbox_lifted AFTER UPDATE OF lifted_at ON contact_restrictions FOR EACH ROW
  WHEN (OLD.lifted_at IS DISTINCT FROM NEW.lifted_at)
  EXECUTE FUNCTION parley_inbox_restriction_event();
