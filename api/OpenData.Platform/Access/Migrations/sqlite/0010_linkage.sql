-- Linkage domains (desensitisation.yaml): asked for in a request, approved by the owner (and possibly narrowed by the
-- platform), carried by the grant; each a JSON list of domain names, null for none.
ALTER TABLE access_requests ADD COLUMN linkage TEXT;
ALTER TABLE access_requests ADD COLUMN approved_linkage TEXT;
ALTER TABLE access_request_events ADD COLUMN linkage TEXT;
ALTER TABLE grants ADD COLUMN linkage TEXT;
