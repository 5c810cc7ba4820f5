-- "installment" is spelled one way in every name the API shows (issue 9): the ledger's event and the
-- events' types. Written by hand (data only). The tables instalments and instalment_log keep their
-- first spelling: renaming them left the trigger of 0002, which SQLite rewrites on a rename, no
-- longer taking an installment's previous state out of the rollups (reports.test.ts caught it), and
-- they are only ever named in src/db/schema.ts and that trigger.
UPDATE `ledger_entries` SET `event` = 'installment_paid' WHERE `event` = 'instalment_paid';--> statement-breakpoint
UPDATE `ledger_rollups` SET `event` = 'installment_paid' WHERE `event` = 'instalment_paid';--> statement-breakpoint
UPDATE `events` SET `type` = 'installment' || substr(`type`, 11) WHERE `type` LIKE 'instalment.%';
