CREATE TABLE "inbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inbox_events_workspace_idx" ON "inbox_events" USING btree ("workspace_id","id");--> statement-breakpoint
-- The inbox's realtime feed (issue #5 item 5). Triggers write each event in the same transaction as the change,
-- so no code path (bot, agent, status webhook, broadcast) can forget one, and an event exists exactly when its
-- change committed. The payload carries ids, statuses and times, never message content. NOTIFY is only a wake-up:
-- listeners re-read the table by id. Its payload is empty on purpose — PostgreSQL folds identical notifications of
-- one transaction into one, so a batch of a hundred messages wakes each listener once.
CREATE FUNCTION parley_inbox_message_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inbox_events (workspace_id, conversation_id, kind, payload)
  VALUES (NEW.workspace_id, NEW.conversation_id, CASE WHEN TG_OP = 'INSERT' THEN 'message.created' ELSE 'message.status' END,
          jsonb_build_object('messageId', NEW.id, 'seq', NEW.seq, 'direction', NEW.direction, 'type', NEW.type, 'status', NEW.status,
                             'errorCode', NEW.error_code, 'gateReason', NEW.gate_reason, 'at', now()));
  PERFORM pg_notify('parley_inbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_inbox_created AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION parley_inbox_message_event();
--> statement-breakpoint
-- Only the statuses an inbox shows (ticks, failure, a refused send); queued → sending → accepted are the
-- dispatcher's own steps. The WHEN clause is evaluated without calling the function, so other updates cost nothing.
CREATE TRIGGER messages_inbox_status AFTER UPDATE OF status ON messages FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('sent', 'delivered', 'read', 'played', 'failed', 'blocked'))
  EXECUTE FUNCTION parley_inbox_message_event();
--> statement-breakpoint
CREATE FUNCTION parley_inbox_conversation_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inbox_events (workspace_id, conversation_id, kind, payload)
  VALUES (NEW.workspace_id, NEW.id, 'conversation.changed',
          jsonb_build_object('state', NEW.state, 'previousState', OLD.state, 'queue', NEW.queue, 'assignedUserId', NEW.assigned_user_id,
                             'agentReadSeq', NEW.agent_read_seq, 'queuedAt', NEW.queued_at, 'assignedAt', NEW.assigned_at,
                             'resolvedAt', NEW.resolved_at, 'at', now()));
  PERFORM pg_notify('parley_inbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Ownership, queue, assignee and the agents' read position; the bot's run state and send buckets change on every
-- turn and are not the inbox's business.
CREATE TRIGGER conversations_inbox_changed AFTER UPDATE OF state, queue, assigned_user_id, agent_read_seq ON conversations FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.queue IS DISTINCT FROM NEW.queue
        OR OLD.assigned_user_id IS DISTINCT FROM NEW.assigned_user_id OR OLD.agent_read_seq IS DISTINCT FROM NEW.agent_read_seq)
  EXECUTE FUNCTION parley_inbox_conversation_event();
