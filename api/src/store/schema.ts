/**
 * The tables the SQLite and PostgreSQL stores define alike: idempotent answers, sign-in nonces, wrapped
 * master keys, the audit log, what replicas share besides (leases, licensed sessions, AI usage), and, below,
 * the account tables. Only the integer type differs (SQLite's INTEGER is 64-bit; PostgreSQL needs BIGINT for
 * millisecond times). The anchoring tables differ in more than that and stay with each store.
 */
export function sharedTables(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE IF NOT EXISTS idempotent_requests (
  scope TEXT NOT NULL,
  route TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('reserved', 'done')),
  lease_until ${int} NOT NULL,
  expires_at ${int} NOT NULL,
  status INTEGER, content_type TEXT, body TEXT,
  PRIMARY KEY (scope, route, key_hash)
);
CREATE INDEX IF NOT EXISTS idempotent_requests_expiry ON idempotent_requests (expires_at);
CREATE TABLE IF NOT EXISTS signin_nonces (
  nonce TEXT PRIMARY KEY,
  expires_at ${int} NOT NULL
);
CREATE INDEX IF NOT EXISTS signin_nonces_expiry ON signin_nonces (expires_at);
CREATE TABLE IF NOT EXISTS wrapped_keys (
  did TEXT PRIMARY KEY,
  blob TEXT NOT NULL,
  updated_at ${int} NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
  seq ${int} PRIMARY KEY,
  at ${int} NOT NULL,
  subject TEXT NOT NULL,
  action TEXT NOT NULL,
  decision TEXT NOT NULL,
  refs TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS audit_subject ON audit (subject, seq);
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at ${int} NOT NULL
);
CREATE TABLE IF NOT EXISTS licensed_sessions (
  did TEXT NOT NULL,
  session_key TEXT NOT NULL,
  until ${int} NOT NULL,
  verified TEXT NOT NULL,
  PRIMARY KEY (did, session_key)
);
CREATE INDEX IF NOT EXISTS licensed_sessions_until ON licensed_sessions (until);
CREATE TABLE IF NOT EXISTS licensed_doctors (
  did TEXT PRIMARY KEY,
  verified TEXT NOT NULL,
  presented_at ${int} NOT NULL
);
CREATE TABLE IF NOT EXISTS ai_usage (
  did TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'tokens')),
  at ${int} NOT NULL,
  amount ${int} NOT NULL
);
CREATE INDEX IF NOT EXISTS ai_usage_did ON ai_usage (did, at);
CREATE TABLE IF NOT EXISTS audit_heads (
  leaf TEXT PRIMARY KEY,
  seq ${int} NOT NULL,
  batch_id ${int} NOT NULL REFERENCES batches(id)
);
`;
}

/**
 * Remote pin requests (pinning/): one per caller and CID. `wanted` is the caller's alone to write (pin or
 * unpin); the pinner writes the rest, and only while it holds the row's lease (`lease_until`), so a
 * replica that took over an expired lease and the one that lost it never both settle a row. `submitting`
 * marks a POST to the service that may have landed before a crash: the pinner then looks the request up
 * by its random `name` before posting again.
 */
export function pinTables(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE IF NOT EXISTS pin_requests (
  subject TEXT NOT NULL,
  cid TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  wanted TEXT NOT NULL CHECK (wanted IN ('pin', 'unpin')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'pinning', 'pinned', 'failed')),
  request_id TEXT,
  submitting INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at ${int},
  lease_until ${int} NOT NULL DEFAULT 0,
  reason TEXT,
  created_at ${int} NOT NULL,
  updated_at ${int} NOT NULL,
  PRIMARY KEY (subject, cid)
);
CREATE INDEX IF NOT EXISTS pin_requests_due ON pin_requests (next_attempt_at);
CREATE INDEX IF NOT EXISTS pin_requests_subject ON pin_requests (subject, created_at);
`;
}

/**
 * Consult chat (consults/): messages sealed end to end between the two parties of a consent, kept as the
 * ciphertext they sent. `room` is the consult's keyed hash (consults/room-tokens.ts), not the consent ID, and
 * `sender` a party ("patient" or "doctor"), not a DID: the table alone links no one. The UNIQUE constraint
 * makes a retried message (same client ID) the same row, whatever the timing of the two attempts.
 */
export function chatTables(autoKey: "INTEGER PRIMARY KEY" | "BIGSERIAL PRIMARY KEY", int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE IF NOT EXISTS consult_messages (
  seq ${autoKey},
  room TEXT NOT NULL,
  sender TEXT NOT NULL CHECK (sender IN ('patient', 'doctor')),
  client_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  created_at ${int} NOT NULL,
  UNIQUE (room, sender, client_id)
);
CREATE INDEX IF NOT EXISTS consult_messages_room ON consult_messages (room, seq);
`;
}

/**
 * Per-account tables, alike in both engines but for the integer type and the auto-numbered key (SQLite's
 * INTEGER PRIMARY KEY, PostgreSQL's BIGSERIAL): device entries (the master wrapped to one device's key),
 * guardian sets and their sealed shares, recovery requests with their guardians and approvals, and each
 * DID's notifications. Who guards whom lives here and nowhere public.
 */
export function accountTables(int: "INTEGER" | "BIGINT", autoKey: "INTEGER PRIMARY KEY" | "BIGSERIAL PRIMARY KEY"): string {
  return `
CREATE TABLE IF NOT EXISTS device_keys (
  did TEXT NOT NULL,
  device_id TEXT NOT NULL,
  blob TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at ${int} NOT NULL,
  last_used_at ${int} NOT NULL,
  PRIMARY KEY (did, device_id)
);
CREATE TABLE IF NOT EXISTS guardian_sets (
  patient TEXT PRIMARY KEY,
  set_id TEXT NOT NULL,
  threshold INTEGER NOT NULL,
  updated_at ${int} NOT NULL
);
CREATE TABLE IF NOT EXISTS guardians (
  patient TEXT NOT NULL REFERENCES guardian_sets(patient) ON DELETE CASCADE,
  guardian TEXT NOT NULL,
  position INTEGER NOT NULL,
  key_did TEXT NOT NULL,
  share TEXT NOT NULL,
  PRIMARY KEY (patient, guardian)
);
CREATE INDEX IF NOT EXISTS guardians_by_guardian ON guardians (guardian);
CREATE TABLE IF NOT EXISTS recovery_requests (
  id TEXT PRIMARY KEY,
  patient TEXT NOT NULL,
  requester TEXT NOT NULL,
  requester_key TEXT NOT NULL,
  set_id TEXT NOT NULL,
  threshold INTEGER NOT NULL,
  created_at ${int} NOT NULL,
  ready_at ${int} NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'cancelled', 'completed')),
  closed_at ${int}
);
CREATE INDEX IF NOT EXISTS recovery_by_patient ON recovery_requests (patient, created_at);
CREATE INDEX IF NOT EXISTS recovery_by_requester ON recovery_requests (requester, created_at);
CREATE TABLE IF NOT EXISTS recovery_guardians (
  request_id TEXT NOT NULL REFERENCES recovery_requests(id),
  guardian TEXT NOT NULL,
  PRIMARY KEY (request_id, guardian)
);
CREATE INDEX IF NOT EXISTS recovery_guardians_by_guardian ON recovery_guardians (guardian);
CREATE TABLE IF NOT EXISTS recovery_approvals (
  request_id TEXT NOT NULL REFERENCES recovery_requests(id),
  guardian TEXT NOT NULL,
  share TEXT NOT NULL,
  approved_at ${int} NOT NULL,
  PRIMARY KEY (request_id, guardian)
);
CREATE TABLE IF NOT EXISTS notifications (
  id ${autoKey},
  did TEXT NOT NULL,
  at ${int} NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_by_did ON notifications (did, id);
`;
}

/**
 * SMART Health Links (shl/): each link's owner, flags and state; the manifest URL's secret only as its
 * SHA-256 (a copy of the database serves no manifest); the passcode only as a scrypt hash, with the wrong
 * attempts the link still takes over its lifetime; each file as the device encrypted it (compact JWE, the
 * key is in the link alone); short-lived single-use file URLs, also as hashes; and who asked for the
 * manifest (the recipient name the IG asks viewers to send, for the owner to see).
 */
export function shlTables(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE IF NOT EXISTS shl_links (
  id TEXT PRIMARY KEY,
  manifest_hash TEXT NOT NULL UNIQUE,
  owner TEXT NOT NULL,
  flag TEXT NOT NULL,
  passcode_hash TEXT,
  attempts_left INTEGER,
  created_at ${int} NOT NULL,
  expires_at ${int},
  revoked_at ${int}
);
CREATE INDEX IF NOT EXISTS shl_links_owner ON shl_links (owner, created_at);
CREATE TABLE IF NOT EXISTS shl_files (
  link_id TEXT NOT NULL REFERENCES shl_links(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  jwe TEXT NOT NULL,
  updated_at ${int} NOT NULL,
  PRIMARY KEY (link_id, position)
);
CREATE TABLE IF NOT EXISTS shl_tickets (
  ticket_hash TEXT PRIMARY KEY,
  link_id TEXT NOT NULL REFERENCES shl_links(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  expires_at ${int} NOT NULL
);
CREATE INDEX IF NOT EXISTS shl_tickets_expiry ON shl_tickets (expires_at);
CREATE TABLE IF NOT EXISTS shl_accesses (
  link_id TEXT NOT NULL REFERENCES shl_links(id) ON DELETE CASCADE,
  at ${int} NOT NULL,
  recipient TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS shl_accesses_link ON shl_accesses (link_id, at);
`;
}

/**
 * Appointments (appointments/): the slots doctors publish, and bookings of them. A slot holds at most one
 * booking in state 'booked': the partial UNIQUE index decides between two patients booking at once (the
 * second insert finds the first and stores nothing), so a double booking cannot be written, whatever the
 * timing or the number of replicas. A cancelled or moved booking frees its slot for the next patient.
 * `reason` is the visit reason sealed to the doctor (ciphertext only).
 */
export function appointmentTables(int: "INTEGER" | "BIGINT"): string {
  return `
CREATE TABLE IF NOT EXISTS appointment_slots (
  id TEXT PRIMARY KEY,
  doctor TEXT NOT NULL,
  starts_at ${int} NOT NULL,
  ends_at ${int} NOT NULL CHECK (ends_at > starts_at),
  created_at ${int} NOT NULL
);
CREATE INDEX IF NOT EXISTS appointment_slots_by_doctor ON appointment_slots (doctor, starts_at);
CREATE TABLE IF NOT EXISTS appointments (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES appointment_slots(id),
  doctor TEXT NOT NULL,
  patient TEXT NOT NULL,
  starts_at ${int} NOT NULL,
  ends_at ${int} NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'moved')),
  reason TEXT,
  created_at ${int} NOT NULL,
  closed_at ${int},
  closed_by TEXT CHECK (closed_by IN ('patient', 'doctor')),
  moved_to TEXT,
  reminded_at ${int}
);
CREATE UNIQUE INDEX IF NOT EXISTS appointments_one_booking_per_slot ON appointments (slot_id) WHERE state = 'booked';
CREATE INDEX IF NOT EXISTS appointments_by_patient ON appointments (patient, starts_at);
CREATE INDEX IF NOT EXISTS appointments_by_doctor ON appointments (doctor, starts_at);
CREATE INDEX IF NOT EXISTS appointments_to_remind ON appointments (starts_at) WHERE state = 'booked' AND reminded_at IS NULL;
`;
}
