-- 0003_seen_commands_answered: whether a seen command was answered. An id is now recorded when
-- its command starts running and marked answered when its result is in the outbox, so a command
-- that was running when the hub died (started, never answered) can be told apart: a re-send of it
-- gets an "interrupted" result instead of silence.
ALTER TABLE seen_commands ADD COLUMN answered_at INTEGER;   -- ms since epoch; NULL = no result recorded

-- Ids recorded before this migration were recorded on receipt, and almost all of them were
-- answered: counting them as answered keeps a re-send from getting a second, contradicting result.
UPDATE seen_commands SET answered_at = seen_at;
