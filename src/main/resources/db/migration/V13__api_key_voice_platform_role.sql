-- The voice platform's service key: registers and ends calls and sends in-call SMS for any workspace, and is
-- neither an admin nor a workspace (issue 9). Like an admin key it names no workspace.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'voice_platform', 'workspace'));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_workspace_check CHECK ((role = 'workspace') = (workspace_id IS NOT NULL));
