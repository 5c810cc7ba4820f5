-- "installment" in the tables' names too (issue 17): instalment_log becomes installment_log and
-- instalments installments. Written by hand. The rollup trigger of 0002 names both tables, and
-- SQLite's rewrite of a trigger on a rename is what broke the reports when 0004 first tried this;
-- so the trigger is dropped first and made again over the new names, exactly as 0002 wrote it.
-- `RENAME TO` keeps every row; D1 ignores `PRAGMA foreign_keys=OFF`, so no table is recreated.
-- Index names cannot be renamed: each is dropped and made again under its new name.
DROP TRIGGER `instalment_log_apply`;--> statement-breakpoint
DROP INDEX `instalment_log_purchase`;--> statement-breakpoint
DROP INDEX `instalments_due`;--> statement-breakpoint
ALTER TABLE `instalment_log` RENAME TO `installment_log`;--> statement-breakpoint
ALTER TABLE `instalments` RENAME TO `installments`;--> statement-breakpoint
CREATE INDEX `installment_log_purchase` ON `installment_log` (`purchase_id`,`number`);--> statement-breakpoint
CREATE INDEX `installments_due` ON `installments` (`merchant_id`,`livemode`,`due_at`);--> statement-breakpoint
CREATE TRIGGER installment_log_apply AFTER INSERT ON installment_log BEGIN
  INSERT INTO collection_rollups (merchant_id, livemode, grain, bucket, currency, outcome, count, amount)
    SELECT i.merchant_id, i.livemode, g.grain, CASE g.grain WHEN 'm' THEN substr(i.due_at, 1, 7) || '-01T00:00' ELSE substr(i.due_at, 1, 10) || 'T00:00' END, i.currency, i.outcome, -1, -i.amount
    FROM installments i, (SELECT 'm' AS grain UNION ALL SELECT 'd') g
    WHERE i.purchase_id = NEW.purchase_id AND i.number = NEW.number AND i.outcome <> 'none'
  ON CONFLICT (merchant_id, livemode, grain, bucket, currency, outcome)
    DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
  INSERT INTO receivable_changes (merchant_id, livemode, currency, at, due_on, amount)
    SELECT i.merchant_id, i.livemode, i.currency, NEW.at, substr(i.due_at, 1, 10), -i.owed
    FROM installments i WHERE i.purchase_id = NEW.purchase_id AND i.number = NEW.number AND i.owed <> 0;
  INSERT INTO receivable_history (merchant_id, livemode, currency, changed_on, due_on, amount)
    SELECT i.merchant_id, i.livemode, i.currency, substr(NEW.at, 1, 10), substr(i.due_at, 1, 10), -i.owed
    FROM installments i WHERE i.purchase_id = NEW.purchase_id AND i.number = NEW.number AND i.owed <> 0
  ON CONFLICT (merchant_id, livemode, changed_on, currency, due_on) DO UPDATE SET amount = amount + excluded.amount;
  INSERT INTO installments (purchase_id, number, merchant_id, livemode, customer_id, currency, due_at, status, outcome, amount, owed, seq)
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
