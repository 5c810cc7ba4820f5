-- The rollups are no longer kept by triggers (issue 19): the projection queue's consumer
-- (src/projection/) writes them, aggregated per batch of up to 100 messages, so that a rollup row
-- is written once per batch rather than once per ledger line or installment state. Only the
-- triggers go; every table and row stays (nothing is recreated: D1 ignores foreign_keys=OFF).
DROP TRIGGER IF EXISTS `ledger_entries_rollup`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `installment_log_apply`;--> statement-breakpoint
-- Indexes no query reads, each a row written per row inserted (test/purchase-cost.test.ts): the
-- ledger by purchase and the installment log by installment were the triggers'; events are listed
-- and walked by their public id (`events_list`), never by `created_at`.
DROP INDEX IF EXISTS `ledger_entries_purchase`;--> statement-breakpoint
DROP INDEX IF EXISTS `installment_log_purchase`;--> statement-breakpoint
DROP INDEX IF EXISTS `events_merchant`;
