// Password hashing with bcrypt (bcryptjs: pure JS, so nothing native to build on install).
import bcrypt from "bcryptjs";

const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
export const DECOY_HASH = bcrypt.hashSync("clickbus-decoy-password", COST);
