-- Key lifecycle (issue 20): restricted keys, rolling with a grace period, and when a key was last used.
-- New columns only: api_keys is referenced by nothing, but D1 cannot recreate a table safely anyway.
ALTER TABLE `api_keys` ADD COLUMN `type` text NOT NULL DEFAULT 'secret';
--> statement-breakpoint
ALTER TABLE `api_keys` ADD COLUMN `name` text;
--> statement-breakpoint
ALTER TABLE `api_keys` ADD COLUMN `scopes` text;
--> statement-breakpoint
ALTER TABLE `api_keys` ADD COLUMN `expires_at` text;
--> statement-breakpoint
ALTER TABLE `api_keys` ADD COLUMN `last_used_at` text;
--> statement-breakpoint
CREATE INDEX `api_keys_merchant` ON `api_keys` (`merchant_id`, `mode`, `id`);
