-- An app may be bound to a plan of its own (its usage then counts apart from its tenant's) and to the datasets it may read
-- (a JSON array of dataset ids); null is "as the tenant": the tenant's plan, every dataset the tenant may read.
ALTER TABLE apps ADD COLUMN plan text;
ALTER TABLE apps ADD COLUMN datasets text;
