// Auth.js's standard routes under /api/auth/* (csrf, session, callback/credentials, signout).
import { handlers } from "@/lib/auth/auth";

export const { GET, POST } = handlers;
