-- The read model is sharded by merchant (issue 19; src/shards/). The directory database (binding DB)
-- says which read-model shard (READ_MODEL_<n>) holds each merchant's rows: written once when the
-- merchant is created, rewritten only by a move (POST /v1/admin/merchants/{id}/move_shard). Every
-- database runs every migration, so the shards hold this table empty and the directory holds the
-- read-model tables empty.
CREATE TABLE `merchant_shards` (
	`merchant_id` text PRIMARY KEY NOT NULL,
	`shard` integer NOT NULL
);
