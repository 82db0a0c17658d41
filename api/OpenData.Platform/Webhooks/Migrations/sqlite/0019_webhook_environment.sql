-- A webhook belongs to the environment of the app that registered it: live webhooks get live events only, sandbox webhooks
-- the sandbox's simulated events only (POST /v1/sandbox/events).
ALTER TABLE webhooks ADD COLUMN environment TEXT NOT NULL DEFAULT 'live';
