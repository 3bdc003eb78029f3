CREATE TABLE `bus_channel_floors` (
	`channel` text PRIMARY KEY NOT NULL,
	`pruned_up_to` integer NOT NULL
);
