CREATE TABLE `monitor_incidents` (
	`rule` text PRIMARY KEY NOT NULL,
	`triggered_at` text NOT NULL
);
