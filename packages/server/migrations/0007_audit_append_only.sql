-- The audit log is append-only for the application (security checklist I4, ASVS 5.0 16.4.2):
-- no UPDATE, DELETE or TRUNCATE of an entry, no removal of a chain head, whatever role Carnet
-- connects as. Triggers rather than revoked privileges, because the embedded database and many
-- deployments connect as the owner of the tables, whom privileges do not bind.
-- A database superuser can still switch triggers off (session_replication_role = replica): that is
-- what the hash chains and the signed checkpoints outside the database are for.
create function carnet_audit_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % on % is refused', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_entry_append_only
  before update or delete on audit_entry
  for each row execute function carnet_audit_append_only();

create trigger audit_entry_no_truncate
  before truncate on audit_entry
  for each statement execute function carnet_audit_append_only();

-- A chain head moves forward with each entry (UPDATE), but never disappears.
create trigger audit_chain_head_kept
  before delete on audit_chain_head
  for each row execute function carnet_audit_append_only();

create trigger audit_chain_head_no_truncate
  before truncate on audit_chain_head
  for each statement execute function carnet_audit_append_only();
