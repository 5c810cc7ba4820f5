CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`type` text NOT NULL,
	`purchase_id` text,
	`data` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_merchant` ON `events` (`merchant_id`,`livemode`,`created_at`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
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
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_merchant` ON `ledger_entries` (`merchant_id`,`livemode`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_entries_purchase` ON `ledger_entries` (`purchase_id`);