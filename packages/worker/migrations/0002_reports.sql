CREATE TABLE `collection_rollups` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`grain` text NOT NULL,
	`bucket` text NOT NULL,
	`currency` text NOT NULL,
	`outcome` text NOT NULL,
	`count` integer NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `livemode`, `grain`, `bucket`, `currency`, `outcome`)
);
--> statement-breakpoint
CREATE TABLE `instalment_log` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`customer_id` text NOT NULL,
	`seq` integer NOT NULL,
	`purchase_id` text NOT NULL,
	`number` integer NOT NULL,
	`currency` text NOT NULL,
	`due_at` text NOT NULL,
	`status` text NOT NULL,
	`outcome` text NOT NULL,
	`amount` integer NOT NULL,
	`owed` integer NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `instalment_log_purchase` ON `instalment_log` (`purchase_id`,`number`);--> statement-breakpoint
CREATE TABLE `instalments` (
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
	PRIMARY KEY(`purchase_id`, `number`)
);
--> statement-breakpoint
CREATE INDEX `instalments_due` ON `instalments` (`merchant_id`,`livemode`,`due_at`);--> statement-breakpoint
CREATE TABLE `ledger_rollups` (
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
);
--> statement-breakpoint
CREATE TABLE `receivable_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`currency` text NOT NULL,
	`at` text NOT NULL,
	`due_on` text NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `receivable_changes_at` ON `receivable_changes` (`merchant_id`,`livemode`,`at`);--> statement-breakpoint
CREATE TABLE `receivable_history` (
	`merchant_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`currency` text NOT NULL,
	`changed_on` text NOT NULL,
	`due_on` text NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `livemode`, `changed_on`, `currency`, `due_on`)
);

--> statement-breakpoint
-- Hand-written below this line (drizzle-kit does not model triggers). The rollups are kept by
-- triggers, so a row lands in its rollups in the statement that inserts it, or not at all; and
-- `INSERT OR IGNORE` of a row already copied fires nothing, so nothing is ever counted twice.
-- Buckets are `YYYY-MM-DDTHH:MM`, UTC: month, day and hour starts for the ledger, month and day
-- starts for instalments by due date; what falls between is read from the raw rows.
CREATE TRIGGER ledger_entries_rollup AFTER INSERT ON ledger_entries BEGIN
  INSERT INTO ledger_rollups (merchant_id, livemode, grain, bucket, currency, event, account, amount, lines) VALUES
    (NEW.merchant_id, NEW.livemode, 'm', substr(NEW.created_at, 1, 7) || '-01T00:00', NEW.currency, NEW.event, NEW.account, NEW.amount, 1),
    (NEW.merchant_id, NEW.livemode, 'd', substr(NEW.created_at, 1, 10) || 'T00:00', NEW.currency, NEW.event, NEW.account, NEW.amount, 1),
    (NEW.merchant_id, NEW.livemode, 'h', substr(NEW.created_at, 1, 13) || ':00', NEW.currency, NEW.event, NEW.account, NEW.amount, 1)
  ON CONFLICT (merchant_id, livemode, grain, bucket, currency, event, account)
    DO UPDATE SET amount = amount + excluded.amount, lines = lines + excluded.lines;
END;--> statement-breakpoint
INSERT INTO ledger_rollups (merchant_id, livemode, grain, bucket, currency, event, account, amount, lines)
  SELECT merchant_id, livemode, 'm', substr(created_at, 1, 7) || '-01T00:00', currency, event, account, SUM(amount), COUNT(*)
  FROM ledger_entries GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO ledger_rollups (merchant_id, livemode, grain, bucket, currency, event, account, amount, lines)
  SELECT merchant_id, livemode, 'd', substr(created_at, 1, 10) || 'T00:00', currency, event, account, SUM(amount), COUNT(*)
  FROM ledger_entries GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO ledger_rollups (merchant_id, livemode, grain, bucket, currency, event, account, amount, lines)
  SELECT merchant_id, livemode, 'h', substr(created_at, 1, 13) || ':00', currency, event, account, SUM(amount), COUNT(*)
  FROM ledger_entries GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
-- A new state of an instalment: its previous state leaves the rollups and the receivable, the new
-- one enters them. Rows of one instalment arrive in order (one customer object copies them, in
-- id order, each batch starting where D1 has everything before it).
CREATE TRIGGER instalment_log_apply AFTER INSERT ON instalment_log BEGIN
  INSERT INTO collection_rollups (merchant_id, livemode, grain, bucket, currency, outcome, count, amount)
    SELECT i.merchant_id, i.livemode, g.grain, CASE g.grain WHEN 'm' THEN substr(i.due_at, 1, 7) || '-01T00:00' ELSE substr(i.due_at, 1, 10) || 'T00:00' END, i.currency, i.outcome, -1, -i.amount
    FROM instalments i, (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    WHERE i.purchase_id = NEW.purchase_id AND i.number = NEW.number AND i.outcome <> 'none'
  ON CONFLICT (merchant_id, livemode, grain, bucket, currency, outcome)
    DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
  INSERT INTO receivable_changes (merchant_id, livemode, currency, at, due_on, amount)
    SELECT i.merchant_id, i.livemode, i.currency, NEW.at, substr(i.due_at, 1, 10), -i.owed
    FROM instalments i WHERE i.purchase_id = NEW.purchase_id AND i.number = NEW.number AND i.owed <> 0;
  INSERT INTO receivable_history (merchant_id, livemode, currency, changed_on, due_on, amount)
    SELECT i.merchant_id, i.livemode, i.currency, substr(NEW.at, 1, 10), substr(i.due_at, 1, 10), -i.owed
    FROM instalments i WHERE i.purchase_id = NEW.purchase_id AND i.number = NEW.number AND i.owed <> 0
  ON CONFLICT (merchant_id, livemode, changed_on, currency, due_on) DO UPDATE SET amount = amount + excluded.amount;
  INSERT INTO instalments (purchase_id, number, merchant_id, livemode, customer_id, currency, due_at, status, outcome, amount, owed, seq)
    VALUES (NEW.purchase_id, NEW.number, NEW.merchant_id, NEW.livemode, NEW.customer_id, NEW.currency, NEW.due_at,
      NEW.status, NEW.outcome, NEW.amount, NEW.owed, NEW.seq)
    ON CONFLICT (purchase_id, number) DO UPDATE SET due_at = excluded.due_at, status = excluded.status,
      outcome = excluded.outcome, amount = excluded.amount, owed = excluded.owed, seq = excluded.seq;
  INSERT INTO collection_rollups (merchant_id, livemode, grain, bucket, currency, outcome, count, amount)
    SELECT NEW.merchant_id, NEW.livemode, g.grain, CASE g.grain WHEN 'm' THEN substr(NEW.due_at, 1, 7) || '-01T00:00' ELSE substr(NEW.due_at, 1, 10) || 'T00:00' END, NEW.currency, NEW.outcome, 1, NEW.amount
    FROM (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    WHERE NEW.outcome <> 'none'
  ON CONFLICT (merchant_id, livemode, grain, bucket, currency, outcome)
    DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
  INSERT INTO receivable_changes (merchant_id, livemode, currency, at, due_on, amount)
    SELECT NEW.merchant_id, NEW.livemode, NEW.currency, NEW.at, substr(NEW.due_at, 1, 10), NEW.owed WHERE NEW.owed <> 0;
  INSERT INTO receivable_history (merchant_id, livemode, currency, changed_on, due_on, amount)
    SELECT NEW.merchant_id, NEW.livemode, NEW.currency, substr(NEW.at, 1, 10), substr(NEW.due_at, 1, 10), NEW.owed
    WHERE NEW.owed <> 0
  ON CONFLICT (merchant_id, livemode, changed_on, currency, due_on) DO UPDATE SET amount = amount + excluded.amount;
END;
