-- An operator may disable a tenant: its apps' tokens and its people's sign-ins stop working at once, with the reason kept.
ALTER TABLE tenants ADD COLUMN disabled_at timestamptz;
ALTER TABLE tenants ADD COLUMN disabled_reason text;
