-- Fewer rows written per purchase (issue 19): D1 bills every row and index entry a write touches
-- (test/purchase-cost.test.ts counts them). The read model's tables keyed by a text id become
-- `WITHOUT ROWID`, one b-tree keyed by that id, instead of a rowid table plus an index of its key:
-- a row inserted is one entry, not two. SQLite cannot change a table's kind in place, so each is
-- made anew, copied, dropped and renamed; nothing references these tables (D1 ignores
-- `PRAGMA foreign_keys=OFF`, so a table that was referenced could not be recreated this way).
-- Only the secondary indexes a query reads are made again:
--   purchases_*: the purchases list, by merchant, customer and status (src/purchases/routes/list.ts);
--   installments_due: the collections and aging reports' slivers (src/reports/storage/rollups.ts);
--   ledger_entries_merchant: the settlement reports' slivers finer than an hour, which any instant
--     a report takes can cut (a zone's historical offset has seconds), so the raw lines stay;
--   events_list: the events list, an event by id, the webhooks' recovery (all per merchant and mode,
--     so the unique index on `event_id` alone, read by nothing, goes).
-- The rollups, keyed by their buckets, are remade likewise: a bucket's first row is one entry, not
-- two. The receivable's changes become a rollup too, keyed by instant and due date (what the aging
-- report reads, summed, before an `as_of`), instead of a row and an index entry per change.
-- The installment log goes: nothing reads an installment's past states from D1 (the reports read
-- the rollups and each installment's latest state). What the consumer's guard needs of it, which
-- states it has added to the rollups, becomes `states`, the list of their numbers in the
-- installment's own row, which each new state rewrites anyway (src/projection/statements.ts).
CREATE TABLE `purchases_new` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` text NOT NULL,
	`version` integer NOT NULL,
	`data` text NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `purchases_new` (`id`, `merchant_id`, `livemode`, `customer_id`, `status`, `amount`, `currency`,
	`created_at`, `version`, `data`)
	SELECT `id`, `merchant_id`, `livemode`, `customer_id`, `status`, `amount`, `currency`, `created_at`, `version`,
	`data` FROM `purchases`;--> statement-breakpoint
DROP TABLE `purchases`;--> statement-breakpoint
ALTER TABLE `purchases_new` RENAME TO `purchases`;--> statement-breakpoint
CREATE INDEX `purchases_merchant` ON `purchases` (`merchant_id`,`livemode`,`id`);--> statement-breakpoint
CREATE INDEX `purchases_customer` ON `purchases` (`merchant_id`,`livemode`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `purchases_status` ON `purchases` (`merchant_id`,`livemode`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `installments_new` (
	`purchase_id` text NOT NULL,
	`number` integer NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`due_at` text NOT NULL,
	`status` text NOT NULL,
	`outcome` text NOT NULL,
	`amount` integer NOT NULL,
	`owed` integer NOT NULL,
	`seq` integer NOT NULL,
	`states` text NOT NULL,
	PRIMARY KEY(`purchase_id`, `number`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `installments_new` (`purchase_id`, `number`, `merchant_id`, `livemode`, `customer_id`, `currency`,
	`due_at`, `status`, `outcome`, `amount`, `owed`, `seq`, `states`)
	SELECT `purchase_id`, `number`, `merchant_id`, `livemode`, `customer_id`, `currency`, `due_at`, `status`,
	`outcome`, `amount`, `owed`, `seq`, (SELECT json_group_array(l.`seq`) FROM (SELECT `seq` FROM `installment_log` l
	WHERE l.`purchase_id` = i.`purchase_id` AND l.`number` = i.`number` ORDER BY `seq`) l)
	FROM `installments` i;--> statement-breakpoint
DROP TABLE `installments`;--> statement-breakpoint
ALTER TABLE `installments_new` RENAME TO `installments`;--> statement-breakpoint
CREATE INDEX `installments_due` ON `installments` (`merchant_id`,`livemode`,`due_at`);--> statement-breakpoint
DROP TABLE `installment_log`;--> statement-breakpoint
CREATE TABLE `ledger_entries_new` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`purchase_id` text NOT NULL,
	`posting` integer NOT NULL,
	`event` text NOT NULL,
	`currency` text NOT NULL,
	`account` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` text NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `ledger_entries_new` (`id`, `merchant_id`, `livemode`, `customer_id`, `purchase_id`, `posting`, `event`,
	`currency`, `account`, `amount`, `created_at`)
	SELECT `id`, `merchant_id`, `livemode`, `customer_id`, `purchase_id`, `posting`, `event`, `currency`, `account`,
	`amount`, `created_at` FROM `ledger_entries`;--> statement-breakpoint
DROP TABLE `ledger_entries`;--> statement-breakpoint
ALTER TABLE `ledger_entries_new` RENAME TO `ledger_entries`;--> statement-breakpoint
CREATE INDEX `ledger_entries_merchant` ON `ledger_entries` (`merchant_id`,`livemode`,`created_at`);--> statement-breakpoint
CREATE TABLE `events_new` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`type` text NOT NULL,
	`purchase_id` text,
	`data` text NOT NULL,
	`created_at` text NOT NULL,
	`event_id` text
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `events_new` (`id`, `merchant_id`, `livemode`, `customer_id`, `type`, `purchase_id`, `data`,
	`created_at`, `event_id`)
	SELECT `id`, `merchant_id`, `livemode`, `customer_id`, `type`, `purchase_id`, `data`, `created_at`, `event_id`
	FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `events_new` RENAME TO `events`;--> statement-breakpoint
CREATE INDEX `events_list` ON `events` (`merchant_id`,`livemode`,`event_id`);--> statement-breakpoint
CREATE TABLE `ledger_rollups_new` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`grain` text NOT NULL,
	`bucket` text NOT NULL,
	`currency` text NOT NULL,
	`event` text NOT NULL,
	`account` text NOT NULL,
	`amount` integer NOT NULL,
	`lines` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `livemode`, `grain`, `bucket`, `currency`, `event`, `account`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `ledger_rollups_new` SELECT `merchant_id`, `livemode`, `grain`, `bucket`, `currency`, `event`, `account`,
	`amount`, `lines` FROM `ledger_rollups`;--> statement-breakpoint
DROP TABLE `ledger_rollups`;--> statement-breakpoint
ALTER TABLE `ledger_rollups_new` RENAME TO `ledger_rollups`;--> statement-breakpoint
CREATE TABLE `collection_rollups_new` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`grain` text NOT NULL,
	`bucket` text NOT NULL,
	`currency` text NOT NULL,
	`outcome` text NOT NULL,
	`count` integer NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `livemode`, `grain`, `bucket`, `currency`, `outcome`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `collection_rollups_new` SELECT `merchant_id`, `livemode`, `grain`, `bucket`, `currency`, `outcome`,
	`count`, `amount` FROM `collection_rollups`;--> statement-breakpoint
DROP TABLE `collection_rollups`;--> statement-breakpoint
ALTER TABLE `collection_rollups_new` RENAME TO `collection_rollups`;--> statement-breakpoint
CREATE TABLE `receivable_history_new` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`currency` text NOT NULL,
	`changed_on` text NOT NULL,
	`due_on` text NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `livemode`, `changed_on`, `currency`, `due_on`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `receivable_history_new` SELECT `merchant_id`, `livemode`, `currency`, `changed_on`, `due_on`, `amount`
	FROM `receivable_history`;--> statement-breakpoint
DROP TABLE `receivable_history`;--> statement-breakpoint
ALTER TABLE `receivable_history_new` RENAME TO `receivable_history`;--> statement-breakpoint
CREATE TABLE `receivable_changes_new` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`at` text NOT NULL,
	`currency` text NOT NULL,
	`due_on` text NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `livemode`, `at`, `currency`, `due_on`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `receivable_changes_new` SELECT `merchant_id`, `livemode`, `at`, `currency`, `due_on`, SUM(`amount`)
	FROM `receivable_changes` GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
DROP TABLE `receivable_changes`;--> statement-breakpoint
ALTER TABLE `receivable_changes_new` RENAME TO `receivable_changes`;
