-- Who is tailing their request log (GET /v1/logs/stream, src/logs/): one row per merchant and mode while
-- at least one tail is attached. The request middleware reads it (through a one-second cache per isolate,
-- after the answer) and hands the request's line to the merchant's stream object only when it finds a
-- row: a merchant nobody is tailing costs no object call. Lives in the directory (DB), beside
-- event_streams, whose shape it shares; the shards run it too and keep it empty.
CREATE TABLE `log_tails` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	PRIMARY KEY (`merchant_id`, `livemode`)
) WITHOUT ROWID;
