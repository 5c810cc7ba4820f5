-- The local analytics store (ANALYTICS_BACKEND = "local"): Analytics Engine's columns, so the same
-- described queries run here. Written by hand, not by drizzle-kit: the table is not in src/db/schema.ts,
-- since only rendered SQL reads it. _sample_interval is always 1 here; queries weight by it all the same.
CREATE TABLE `analytics_local` (
	`timestamp` text NOT NULL,
	`_sample_interval` integer DEFAULT 1 NOT NULL,
	`index1` text NOT NULL,
	`blob1` text NOT NULL,
	`blob2` text NOT NULL,
	`blob3` text NOT NULL,
	`blob4` text NOT NULL,
	`blob5` text NOT NULL,
	`blob6` text NOT NULL,
	`blob7` text NOT NULL,
	`double1` real NOT NULL,
	`double2` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_local_scope` ON `analytics_local` (`index1`,`blob6`,`blob1`,`timestamp`);
