-- What a request asks for and its grant allows: 'records' (rows, as before) or 'verify' (a dataset's verification only, never a
-- row; the read path looks up 'records' grants alone).
ALTER TABLE access_requests ADD COLUMN kind text NOT NULL DEFAULT 'records';
ALTER TABLE grants ADD COLUMN kind text NOT NULL DEFAULT 'records';
