CREATE TABLE `socket_tickets` (
	`ticket_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`session_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`token_expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `socket_tickets_expiry_idx` ON `socket_tickets` (`expires_at`);--> statement-breakpoint
DROP TABLE `login_failures`;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD `successor_hash` text;--> statement-breakpoint
ALTER TABLE `users` ADD `lookalike_key` text;--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `users_lookalike_key_unique` ON `users` (`lookalike_key`);--> statement-breakpoint
-- Backfill: the look-alike key of every existing account (worker/users/lookalike.ts, in SQL). For the
-- username alphabet the key is lower-casing plus four replacements (0→o, 1→i, l→i, m→rn), each of
-- whose outputs is left alone by the ones after it (test/worker/lookalike.test.ts checks that this
-- expression and lookalikeKey() agree on every character). Accounts that already look alike keep
-- working: the oldest holds the key, each younger one gets a key of its own (its key + "#" + its
-- id) that no sign-up can produce, so the unique index holds and new look-alikes are refused.
UPDATE `users` SET `lookalike_key` = CASE
	WHEN EXISTS (
		SELECT 1 FROM `users` AS `older`
		WHERE replace(replace(replace(replace(lower(`older`.`username`), '0', 'o'), '1', 'i'), 'l', 'i'), 'm', 'rn')
			= replace(replace(replace(replace(lower(`users`.`username`), '0', 'o'), '1', 'i'), 'l', 'i'), 'm', 'rn')
		AND (`older`.`created_at` < `users`.`created_at`
			OR (`older`.`created_at` = `users`.`created_at` AND `older`.`id` < `users`.`id`))
	)
	THEN replace(replace(replace(replace(lower(`username`), '0', 'o'), '1', 'i'), 'l', 'i'), 'm', 'rn') || '#' || `id`
	ELSE replace(replace(replace(replace(lower(`username`), '0', 'o'), '1', 'i'), 'l', 'i'), 'm', 'rn')
END
WHERE `lookalike_key` IS NULL;
