CREATE TABLE `round_scores` (
	`round_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`round_id`, `user_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`game_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`ended_at` integer,
	`podium` text,
	FOREIGN KEY (`game_id`) REFERENCES `games`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rounds_game_idx` ON `rounds` (`game_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `rounds_one_running_idx` ON `rounds` (`game_id`) WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX `rounds_due_idx` ON `rounds` (`ends_at`) WHERE ended_at is null;