// Clickbus's transactions that announce: the bus's transact on the app's own database, with the
// app's handle type (its tables) in the scope. Importing this module hands the database to the bus,
// so a script or a test that changes games announces through it without attaching a socket server.
import { database, type Tx } from "@/db/client";
import { transactOn, type TransactionScope as BusTransactionScope } from "@/lib/bus/transact";

export const transact = transactOn(database);

export type TransactionScope = BusTransactionScope<Tx>;
