CREATE TABLE `link_previews` (
	`url` text PRIMARY KEY NOT NULL,
	`preview` text,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `upload_quotas` (
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`files` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `day`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_key` text;