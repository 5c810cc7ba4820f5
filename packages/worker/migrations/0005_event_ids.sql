ALTER TABLE `events` ADD `event_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `events_event_id` ON `events` (`event_id`);--> statement-breakpoint
CREATE INDEX `events_list` ON `events` (`merchant_id`,`livemode`,`event_id`);