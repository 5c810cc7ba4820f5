-- Who is listening to the event stream (GET /v1/events/stream, src/events/stream-object/): one row per
-- merchant and mode while at least one stream is attached. The webhook fan-out reads it in the same D1
-- batch as the merchants' endpoints, and hands events to the merchant's stream object only when it
-- finds a row: a merchant nobody is streaming costs no object call. Lives in the directory (DB); the
-- shards run it too and keep it empty.
CREATE TABLE `event_streams` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	PRIMARY KEY (`merchant_id`, `livemode`)
) WITHOUT ROWID;
