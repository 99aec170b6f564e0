ALTER TABLE `memberships` ADD `read_main_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `mention_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `notify_level` text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE `rooms` ADD `main_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Before threads every message was in the main timeline: the counts are the seqs.
UPDATE `rooms` SET `main_count` = `last_seq`;--> statement-breakpoint
UPDATE `memberships` SET `read_main_count` = `last_read_seq`;
