-- The rollups are no longer kept by triggers (issue 19): the projection queue's consumer
-- (src/projection/) writes them, aggregated per batch of up to 100 messages, so that a rollup row
-- is written once per batch rather than once per ledger line or installment state. Only the
-- triggers go; every table and row stays (nothing is recreated: D1 ignores foreign_keys=OFF).
DROP TRIGGER IF EXISTS `ledger_entries_rollup`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `installment_log_apply`;
