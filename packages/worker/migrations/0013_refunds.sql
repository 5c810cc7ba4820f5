-- Refunds in the read model (issue 20): the merchant-wide refunds list (src/refunds/routes/list.ts).
-- Projected with their purchase (each change of a refund is a new version of its purchase, whose
-- message carries the purchase's refunds), so `version` is the purchase's: an older one never
-- overwrites a newer one (src/projection/statements.ts). `WITHOUT ROWID`, as the tables of 0012: a
-- row written is one entry. The indexes are the list's: by merchant, by customer (a purchase's
-- refunds too, since a purchase id names its customer) and by status.
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`purchase_id` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`cash_returned` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` text NOT NULL,
	`version` integer NOT NULL,
	`data` text NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
CREATE INDEX `refunds_merchant` ON `refunds` (`merchant_id`,`livemode`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_customer` ON `refunds` (`merchant_id`,`livemode`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_status` ON `refunds` (`merchant_id`,`livemode`,`status`,`id`);
