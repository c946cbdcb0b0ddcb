-- The users table. Run by init_db() every time the app starts, so every statement is
-- idempotent. This file is read-only in the task.
CREATE TABLE IF NOT EXISTS users (
    id    serial PRIMARY KEY,
    email text NOT NULL,
    name  text NOT NULL
);

-- One account per e-mail address, whatever its letter case.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email));
