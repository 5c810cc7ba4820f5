-- The trace id of each analytics point (src/analytics/points.ts, blob8), as Analytics Engine stores it.
-- Written by hand, like 0003: the table is not in src/db/schema.ts.
ALTER TABLE `analytics_local` ADD COLUMN `blob8` text DEFAULT '' NOT NULL;
