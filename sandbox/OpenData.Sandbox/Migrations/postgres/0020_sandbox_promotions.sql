-- Each sandbox app promoted to live, once: the live app made from it (null while the promotion is under way) and who did it.
-- The primary key makes a second promotion of the same app (or two at once) a conflict rather than a second live app.
CREATE TABLE sandbox_promotions (
    sandbox_app_id text PRIMARY KEY,
    tenant_id      text NOT NULL,
    live_app_id    text,
    promoted_by    text,
    promoted_at    timestamptz NOT NULL
);
